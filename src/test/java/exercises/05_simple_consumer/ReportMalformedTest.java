import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 05.2: with the learner's handler, lesson 05's consumer loop reports every malformed message with its partition
 * and offset (and why), survives a parser that crashes, gets through the whole hostile corpus and keeps consuming valid
 * events after it, its group committed to the end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReportMalformedTest {

    @Test
    void aMalformedMessageIsReportedWithItsPartitionOffsetAndReasonAndTheLoopGoesOn() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("report05");
        LabKafka.ensureTopic(lab, topic, 1); // one partition: the test knows every offset
        Clickstream stream = new Clickstream(52);
        List<byte[]> values = new ArrayList<>();
        List<MusicEvent> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (i == 10 || i == 30) {
                values.add(("hello, not json " + i).getBytes(StandardCharsets.UTF_8));
            } else {
                MusicEvent e = stream.next();
                events.add(e);
                values.add(e.toBytes());
            }
        }
        TestTopics.produceRaw(lab, topic, values);
        String group = TestLab.unique("report05");

        TypedConsumer.Summary summary = TypedConsumer.consume(lab, topic, group, Duration.ofSeconds(3), MusicEvent::parse,
                new ReportMalformed(), line -> { }, c -> { });

        assertThat(summary.malformed).extracting(TypedConsumer.Malformed::offset).as("offsets reported").containsExactly(10L, 30L);
        assertThat(summary.malformed).allSatisfy(m -> {
            assertThat(m.partition()).as("partition").isZero();
            assertThat(m.reason()).as("why offset %d is no event", m.offset()).contains("not JSON");
        });
        assertThat(summary.events).as("every event, in order: the loop went on past both").containsExactlyElementsOf(events);
        assertThat(LabTopics.committedOffsets(lab, group, topic)).as("the group committed past both").isEqualTo(Map.of(0, 60L));
    }

    @Test
    void aParserThatCrashesStopsNothing() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("crash05");
        LabKafka.ensureTopic(lab, topic, 1);
        List<MusicEvent> events = new ArrayList<>();
        Clickstream stream = new Clickstream(53);
        for (int i = 0; i < 40; i++) {
            events.add(stream.next());
        }
        TestTopics.produceRaw(lab, topic, events.stream().map(MusicEvent::toBytes).toList());
        String victim = events.get(7).userId();
        // a parser with a bug that hits one user, like the substring(0, 8) that stopped the course's own consumer
        TypedConsumer.Parser buggy = value -> {
            MusicEvent e = MusicEvent.parse(value);
            if (e.userId().equals(victim)) {
                throw new StringIndexOutOfBoundsException("begin 0, end 8, length 2");
            }
            return e;
        };

        TypedConsumer.Summary summary = TypedConsumer.consume(lab, topic, TestLab.unique("crash05"), Duration.ofSeconds(3), buggy,
                new ReportMalformed(), line -> { }, c -> { });

        long crashes = events.stream().filter(e -> e.userId().equals(victim)).count();
        assertThat(summary.malformed).as("the messages the parser crashed on, reported").hasSize((int) crashes)
                .allSatisfy(m -> assertThat(m.reason()).as("the reason names the exception").contains("StringIndexOutOfBoundsException"));
        assertThat(summary.total()).as("every message handled: the loop went on").isEqualTo(events.size());
    }

    @Test
    void itGetsThroughTheWholeHostileCorpusAndKeepsConsumingValidEventsAfterIt() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("hostile05");
        String group = TestLab.unique("hostile05");
        List<HostileCorpus.Placed> placed = HostileCorpus.writeMixed(lab, topic, 400, 54);

        List<String> lines = new ArrayList<>();
        TypedConsumer.Summary first = TypedConsumer.consume(lab, topic, group, Duration.ofSeconds(3), MusicEvent::parse,
                new ReportMalformed(), lines::add, c -> { });

        Map<String, String> expected = new TreeMap<>();
        placed.stream().filter(p -> !p.valid()).forEach(p -> expected.put(p.partition() + "@" + p.offset(), p.kind().name()));
        Map<String, String> reported = new TreeMap<>();
        first.malformed.forEach(m -> reported.put(m.partition() + "@" + m.offset(), m.reason()));
        assertThat(reported.keySet()).as("every hostile message reported at its partition@offset, nothing else").isEqualTo(expected.keySet());
        assertThat(first.events).as("every valid event read").containsExactlyInAnyOrderElementsOf(
                placed.stream().filter(HostileCorpus.Placed::valid).map(HostileCorpus.Placed::expected).toList());
        Map<Integer, List<Long>> handled = new TreeMap<>();
        for (String line : lines) { // "p1@37     ..." in the order the loop handled them
            String[] at = line.substring(1, line.indexOf(' ')).split("@");
            handled.computeIfAbsent(Integer.parseInt(at[0]), p -> new ArrayList<>()).add(Long.parseLong(at[1]));
        }
        for (int p = 0; p < 3; p++) {
            int partition = p;
            assertThat(handled.get(p)).as("partition %d: every offset handled once, in order, none after a hostile one skipped", p)
                    .containsExactlyElementsOf(placed.stream().filter(x -> x.partition() == partition)
                            .map(HostileCorpus.Placed::offset).sorted().toList());
        }

        // and after all that, the same group goes on with new events
        Clickstream later = new Clickstream(55);
        List<MusicEvent> more = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            more.add(later.next());
        }
        TestTopics.produceRaw(lab, topic, more.stream().map(MusicEvent::toBytes).toList());
        TypedConsumer.Summary second = TypedConsumer.consume(lab, topic, group, Duration.ofSeconds(3), MusicEvent::parse,
                new ReportMalformed(), line -> { }, c -> { });
        assertThat(second.events).as("the valid events written after the corpus, and only those").containsExactlyInAnyOrderElementsOf(more);
        assertThat(second.malformed).as("nothing malformed the second time").isEmpty();
        assertThat(LabTopics.committedOffsets(lab, group, topic)).as("committed to the end of every partition")
                .isEqualTo(LabTopics.endOffsets(lab, topic));
    }
}
