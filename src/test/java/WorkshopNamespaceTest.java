import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner's namespace (LabConfig#name): in a workshop every name a lesson, an exercise or a test makes starts with
 * the learner's name, so twenty learners on one cluster never touch each other's topics, groups, objects or tables;
 * with no learner every name is the original project's, unchanged.
 */
class WorkshopNamespaceTest {

    @Test
    void withoutALearnerEveryNameIsTheOriginalOne() {
        LabConfig lab = LabConfig.from(name -> null);
        assertThat(lab.hasLearner()).as("no COURSE_LEARNER: a solo learner").isFalse();
        assertThat(lab.topic("my_topic")).as("topic").isEqualTo("my_topic");
        assertThat(lab.group("mygroupcli")).as("group").isEqualTo("mygroupcli");
        assertThat(lab.transactionalId("sink-0")).as("transactional id").isEqualTo("sink-0");
        assertThat(lab.applicationId("plays-per-minute")).as("Kafka Streams application id").isEqualTo("plays-per-minute");
        assertThat(lab.s3Key("lab-check/hello.txt")).as("S3 key").isEqualTo("lab-check/hello.txt");
        assertThat(lab.clickhouseDatabase()).as("ClickHouse database").isEqualTo("default");
        assertThat(lab.clickhouseTable("music_events")).as("ClickHouse table").isEqualTo("music_events");
        assertThat(lab.describe()).as("no learner line").doesNotContain("learner");
    }

    @Test
    void aLearnersNamesAllStartWithTheirNameAndADot() {
        LabConfig lab = LabConfig.from(Map.of("COURSE_LEARNER", "alice")::get);
        assertThat(lab.learner()).isEqualTo("alice");
        assertThat(lab.topic("my_topic")).as("the issue's example").isEqualTo("alice.my_topic");
        assertThat(lab.group("mygroupcli")).isEqualTo("alice.mygroupcli");
        assertThat(lab.transactionalId("sink-0")).isEqualTo("alice.sink-0");
        assertThat(lab.applicationId("plays-per-minute")).isEqualTo("alice.plays-per-minute");
        assertThat(lab.s3Key("lab-check/hello.txt")).as("an S3 folder of the learner's own").isEqualTo("alice.lab-check/hello.txt");
        assertThat(lab.clickhouseDatabase()).as("a ClickHouse database of the learner's own").isEqualTo("alice");
        assertThat(lab.clickhouseTable("music_events")).as("database.table, as clickhouse-client spells it").isEqualTo("alice.music_events");
        assertThat(lab.topic(lab.topic("my_topic"))).as("a name already in the namespace is not prefixed twice").isEqualTo("alice.my_topic");
        assertThat(lab.topic("alicex.t")).as("only the exact prefix counts").isEqualTo("alice.alicex.t");
        assertThat(lab.describe()).as("the lab's description names the learner").contains("learner     alice");
        assertThat(lab.withKafka("10.0.0.5:9092", "environment").learner()).as("the learner survives every with...()").isEqualTo("alice");
        assertThat(lab.withLearner("").topic("my_topic")).isEqualTo("my_topic");
    }

    @Test
    void aLearnersNameFitsEverySystemsNamesOrIsRefusedWithWhatWouldFit() {
        for (String bad : new String[] {"Alice", "al.ice", "al_ice", "1alice", "alice-b", "a23456789012345678", "default", "system", "élise"}) {
            assertThatThrownBy(() -> LabConfig.from(Map.of("COURSE_LEARNER", bad)::get)).as("COURSE_LEARNER=%s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("COURSE_LEARNER").hasMessageContaining("lower-case letters and digits");
        }
        for (String good : new String[] {"a", "bob2", "zoe", "a234567890123456"}) {
            assertThat(LabConfig.from(Map.of("COURSE_LEARNER", good)::get).learner()).as("COURSE_LEARNER=%s", good).isEqualTo(good);
        }
    }

    @Test
    void aSharedClusterIsOneThatIsNotOnThisMachineOrIsSecured(@TempDir Path dir) throws Exception {
        assertThat(LabConfig.from(name -> null).kafkaIsShared()).as("the lab's default, 127.0.0.1:9092").isFalse();
        assertThat(shared("127.0.0.1:29092")).as("the lab on other ports").isFalse();
        assertThat(shared("localhost:9092,127.0.0.2:9093")).as("loopback names").isFalse();
        assertThat(shared("[::1]:9092")).as("IPv6 loopback").isFalse();
        assertThat(shared("192.168.1.20:9092")).as("a teacher's laptop on the room's network").isTrue();
        assertThat(shared("127.0.0.1:9092,kafka.example.com:9092")).as("any host elsewhere").isTrue();
        Path secured = dir.resolve("client.properties");
        Files.writeString(secured, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n");
        assertThat(LabConfig.from(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "KAFKA_CLIENT_PROPERTIES", secured.toString())::get)
                .kafkaIsShared()).as("a SASL login, even on this machine: a workshop's lab").isTrue();
    }

    @Test
    void theLearnerTheRunnerKeptIsFoundFromAnyFolderOfTheCourse(@TempDir Path course) throws Exception {
        Files.writeString(course.resolve("course.json"), "{}");
        Path deep = Files.createDirectories(course.resolve("exercises/02_cli_and_groups"));
        assertThat(LabConfig.learnerInCourseState(deep)).as("no state file yet").isNull();
        Files.writeString(course.resolve(".course-state.json"), "{\n  \"welcomed\" : true,\n  \"learner\" : \"bob2\",\n  \"done\" : [ ]\n}\n");
        assertThat(LabConfig.learnerInCourseState(deep)).as("the runner's state file, two folders up").isEqualTo("bob2");
    }

    @Test
    void aTestsUniqueNamesAreInTheLearnersNamespaceWhenOneIsSet() {
        String before = System.getProperty("COURSE_LEARNER");
        try {
            System.setProperty("COURSE_LEARNER", "dara"); // how the check JVM hands a learner to the test it runs
            assertThat(TestLab.unique("orders")).as("a test's topic on a learner's behalf").matches("dara\\.orders-[0-9a-f]{8}");
        } finally {
            if (before == null) {
                System.clearProperty("COURSE_LEARNER");
            } else {
                System.setProperty("COURSE_LEARNER", before);
            }
        }
    }

    private static boolean shared(String bootstrap) {
        return LabConfig.from(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap)::get).kafkaIsShared();
    }
}
