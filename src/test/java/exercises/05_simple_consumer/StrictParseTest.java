import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 05.1: the learner's strict parse gives every kind of the hostile corpus the corpus's verdict, reads what the
 * generator writes back as the same event, and, as lesson 05's parser, sorts a mixed topic exactly where the corpus says.
 */
class StrictParseTest {

    @Test
    void everyKindOfTheHostileCorpusGetsItsVerdict() {
        List<String> wrong = new ArrayList<>();
        for (HostileCorpus.Case c : HostileCorpus.cases()) {
            try {
                MusicEvent e = StrictParse.parse(c.value());
                if (!c.valid()) {
                    wrong.add(c.name() + " was accepted (" + c.why() + ")");
                } else if (!e.equals(c.expected())) {
                    wrong.add(c.name() + " was read as " + e + ", not " + c.expected());
                }
            } catch (MalformedEventException e) {
                if (c.valid()) {
                    wrong.add(c.name() + " was rejected (\"" + e.getMessage() + "\"), but it is an event: " + c.why());
                } else {
                    assertThat(e.getMessage()).as("the reason for %s", c.name()).isNotBlank();
                }
            }
        }
        assertThat(wrong).as("kinds of the hostile corpus that got the wrong verdict").isEmpty();
    }

    @Test
    void numbersThatDoNotFitAreMalformedNotCutIntoValidOnes() throws Exception {
        StrictParse.parse(HostileCorpus.PLAYBACK.toBytes()); // a valid event first: an unfinished step stops at its TODO here, not inside an assertion
        for (String kind : List.of("event_type_id 64-bit", "like status 64-bit", "ts_ms 64-bit", "ts 64-bit")) {
            HostileCorpus.Case c = HostileCorpus.cases().stream().filter(k -> k.name().equals(kind)).findFirst().orElseThrow();
            assertThatThrownBy(() -> StrictParse.parse(c.value())).as("%s: %s", kind, c.why()).isInstanceOf(MalformedEventException.class);
        }
    }

    @Test
    void whatTheGeneratorWritesIsReadBackAsTheSameEvent() throws Exception {
        Clickstream stream = new Clickstream(51);
        for (int i = 0; i < 5_000; i++) {
            MusicEvent e = stream.next();
            assertThat(StrictParse.parse(e.toBytes())).as("event %d, a %s", i, e.type().nameEn).isEqualTo(e);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void asLesson05sParserItSortsAMixedTopicWhereTheCorpusSays() throws Exception {
        StrictParse.parse(HostileCorpus.PLAYBACK.toBytes()); // your parse first: an unfinished step stops here, not in the loop
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("strict05");
        List<HostileCorpus.Placed> placed = HostileCorpus.writeMixed(lab, topic, 300, 51);

        TypedConsumer.Summary summary = TypedConsumer.consume(lab, topic, TestLab.unique("strict05"), Duration.ofSeconds(3),
                StrictParse::parse, new ReportMalformed(), line -> { }, c -> { });

        Set<String> expectedMalformed = new TreeSet<>();
        placed.stream().filter(p -> !p.valid()).forEach(p -> expectedMalformed.add(p.partition() + "@" + p.offset()));
        Set<String> reported = new TreeSet<>();
        summary.malformed.forEach(m -> reported.add(m.partition() + "@" + m.offset()));
        assertThat(reported).as("messages reported malformed, by partition@offset").isEqualTo(expectedMalformed);
        assertThat(summary.events).as("events read").containsExactlyInAnyOrderElementsOf(
                placed.stream().filter(HostileCorpus.Placed::valid).map(HostileCorpus.Placed::expected).toList());
    }
}
