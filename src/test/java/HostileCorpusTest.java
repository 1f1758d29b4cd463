import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hostile corpus and the event model's verdict on it: every kind gets the verdict the corpus states, the model
 * never truncates a number into a valid one, what it accepts can be printed and stored, and the corpus lands on a
 * keyed 3-partition topic exactly as {@link HostileCorpus#writeMixed} reports.
 */
class HostileCorpusTest {

    @Test
    void theCorpusHasEveryKindTheHardeningIssueNames() {
        List<HostileCorpus.Case> cases = HostileCorpus.cases();
        assertThat(cases.stream().map(HostileCorpus.Case::name).distinct().count()).as("names are unique").isEqualTo(cases.size());
        assertThat(HostileCorpus.hostile()).as("invalid kinds").hasSizeGreaterThanOrEqualTo(25);
        assertThat(cases).extracting(HostileCorpus.Case::name).as("the kinds of issue 12").contains(
                "not JSON", "truncated JSON", "event_type_id as a string", "unknown event type", "empty object", "empty array",
                "array of two events", "JSON null", "tombstone", "empty value", "byte order mark", "invalid UTF-8 inside a field",
                "trailing garbage", "duplicate key", "short user id", "user id not a UUID", "missing type-specific field",
                "extra type-specific field", "event_type contradicts the id", "event_type_id 64-bit", "like status 64-bit",
                "ts_ms 64-bit", "ts 64-bit", "NaN timestamp", "negative timestamp", "far future", "year 1899", "year 2300",
                "700 KB event_type", "1 MB value");
        assertThat(cases).filteredOn(HostileCorpus.Case::valid).as("valid kinds carry the event they hold")
                .allSatisfy(c -> assertThat(c.expected()).as(c.name()).isNotNull());
        assertThat(cases).as("every kind says why").allSatisfy(c -> assertThat(c.why()).as(c.name()).isNotBlank());
    }

    @Test
    void theModelGivesEveryKindTheCorpusVerdict() {
        List<String> wrong = new ArrayList<>();
        for (HostileCorpus.Case c : HostileCorpus.cases()) {
            try {
                MusicEvent e = MusicEvent.parse(c.value());
                if (!c.valid()) {
                    wrong.add(c.name() + ": accepted as " + e.type() + " user " + e.userId() + " ts " + e.tsMs());
                } else if (!e.equals(c.expected())) {
                    wrong.add(c.name() + ": read as " + e + ", not " + c.expected());
                }
            } catch (MalformedEventException bad) {
                if (c.valid()) {
                    wrong.add(c.name() + ": rejected (" + bad.getMessage() + ")");
                }
            } catch (RuntimeException crash) {
                wrong.add(c.name() + ": " + crash);
            }
        }
        assertThat(wrong).as("kinds whose verdict differs from the corpus").isEmpty();
    }

    @Test
    void aReasonIsShortAndNamesWhatIsWrongWhateverTheInput() {
        for (HostileCorpus.Case c : HostileCorpus.hostile()) {
            MalformedEventException e = catchThrowableOfType(MalformedEventException.class, () -> MusicEvent.parse(c.value()));
            assertThat(e).as("%s is rejected", c.name()).isNotNull();
            assertThat(e.getMessage()).as("reason for %s", c.name()).isNotBlank().hasSizeLessThanOrEqualTo(200);
        }
        assertThat(reason("unknown event type")).as("an unknown type is named").contains("unknown event type 9");
        assertThat(reason("event_type_id 64-bit")).as("a number that does not fit says so").contains("4294967297").contains("32 bits");
        assertThat(reason("ts_ms 64-bit")).contains("64 bits");
        assertThat(reason("short user id")).contains("user_id").contains("\"u1\"");
        assertThat(reason("duplicate key")).contains("user_id");
        assertThat(reason("extra type-specific field")).contains("uuid_track");
        assertThat(reason("missing type-specific field")).contains("uuid_track").contains("missing");
        assertThat(reason("tombstone")).contains("tombstone");
        assertThat(reason("700 KB event_type")).as("a large message is refused by its size").contains("too large");
    }

    @Test
    void whatTheModelAcceptsIsPrintedStoredAndReadBackUnchanged() {
        List<EventParquet.Row> rows = new ArrayList<>();
        long offset = 0;
        for (HostileCorpus.Case c : HostileCorpus.cases()) {
            if (c.valid()) {
                rows.add(new EventParquet.Row(c.expected(), 0, offset++));
            }
        }
        Clickstream stream = new Clickstream(12);
        for (int i = 0; i < 20_000; i++) {
            rows.add(new EventParquet.Row(stream.next(), 1, offset++));
        }
        for (EventParquet.Row row : rows) {
            MusicEvent e = row.event();
            assertThatCode(() -> assertThat(MusicEvent.parse(e.toBytes())).isEqualTo(e)).as("%s back from its JSON", e).doesNotThrowAnyException();
            assertThatCode(() -> e.eventDate()).doesNotThrowAnyException();
        }
        assertThat(EventParquet.read(EventParquet.write(rows))).as("stored as Parquet and read back").isEqualTo(rows);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void theMixLandsOnAKeyed3PartitionTopicAsReported() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("hostile");
        List<HostileCorpus.Placed> placed = HostileCorpus.writeMixed(lab, topic, 600, 3);

        assertThat(placed).as("messages written").hasSize(600 + HostileCorpus.cases().size());
        assertThat(placed.stream().filter(p -> p.kind() != null).map(p -> p.kind().name()).toList()).as("every kind once, in order")
                .containsExactlyElementsOf(HostileCorpus.cases().stream().map(HostileCorpus.Case::name).toList());
        Map<String, byte[]> read = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TestLake.readRaw(lab, topic)) {
            read.put(r.partition() + "@" + r.offset(), r.value());
            assertThat(Utils.toPositive(Utils.murmur2(r.key())) % 3).as("key of p%d@%d picks its partition", r.partition(), r.offset())
                    .isEqualTo(r.partition());
        }
        assertThat(read).as("records in the topic").hasSize(placed.size());
        Set<Integer> partitionsWithHostile = new HashSet<>();
        Map<Integer, Long> lastHostile = new HashMap<>();
        Map<Integer, Long> lastValid = new HashMap<>();
        for (HostileCorpus.Placed p : placed) {
            byte[] value = read.get(p.partition() + "@" + p.offset());
            assertThat(value).as("bytes at %s", p.describe()).isEqualTo(p.value());
            if (p.valid()) {
                lastValid.merge(p.partition(), p.offset(), Math::max);
            } else {
                partitionsWithHostile.add(p.partition());
                lastHostile.merge(p.partition(), p.offset(), Math::max);
            }
            if (p.kind() == null) {
                assertThat(new String(p.key(), StandardCharsets.UTF_8)).as("a generated event is keyed by its user").isEqualTo(p.event().userId());
            }
        }
        assertThat(partitionsWithHostile).as("hostile messages in every partition").containsExactlyInAnyOrder(0, 1, 2);
        lastHostile.forEach((partition, offset) -> assertThat(lastValid.get(partition))
                .as("valid events follow the last hostile one in partition %d", partition).isGreaterThan(offset));
    }

    private static String reason(String kind) {
        HostileCorpus.Case c = HostileCorpus.cases().stream().filter(k -> k.name().equals(kind)).findFirst().orElseThrow();
        return catchThrowableOfType(MalformedEventException.class, () -> MusicEvent.parse(c.value())).getMessage();
    }
}
