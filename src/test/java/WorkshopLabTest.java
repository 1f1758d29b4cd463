import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded lab opened to a workshop's room (WorkshopLab, {@code lab up --workshop HOST --learners ...}): the room's
 * listener refuses anyone without a learner's login, a learner may make names in their own namespace only, S3 refuses
 * the lab's well-known keys, and the handout a learner gets is all they need.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkshopLabTest {

    @Test
    void theRoomGetsInWithItsLoginsOnlyAndEachLearnerOnlyIntoTheirOwnNames(@TempDir Path dir) throws Exception {
        int port = EmbeddedLab.claim(0, "the workshop listener", "--workshop-port");
        // the room's address is 127.0.0.1 here (a test has no other); the lab's own listener gets a port of its own
        WorkshopLab.Room room = WorkshopLab.room(dir, "127.0.0.1", port, List.of("alice", "bob"));
        try (EmbeddedLab lab = EmbeddedLab.start(new EmbeddedLab.Options(0, 0, 0, dir, false), room)) {
            List<Path> handouts = WorkshopLab.handouts(dir, room, lab.config().kafkaFirstAddress(), lab.config().s3Uri().getPort(), null);
            assertThat(handouts).as("one folder for the teacher and one per learner")
                    .extracting(p -> p.getFileName().toString()).containsExactly("teacher", "alice", "bob");
            Map<String, String> alice = env(dir.resolve("workshop/alice/workshop.env"));
            assertThat(alice).as("alice's workshop.env").containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + port)
                    .containsEntry("KAFKA_CLIENT_PROPERTIES", "workshop-alice.properties").containsEntry("COURSE_LEARNER", "alice")
                    .containsEntry("S3_ACCESS_KEY", room.s3AccessKey()).containsEntry("S3_SECRET_KEY", room.s3SecretKey());
            assertThat(env(dir.resolve("workshop/alice/workshop-alice.properties")).get("sasl.jaas.config"))
                    .as("alice's login, and nobody else's").contains("username=\"alice\"")
                    .contains(room.passwords().get("alice")).doesNotContain(room.passwords().get("bob"));
            assertThat(room.toString()).as("no secret printed").doesNotContain(room.passwords().get("alice")).doesNotContain(room.s3SecretKey());
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        dir.resolve("workshop/alice/workshop-alice.properties")))).as("a password file only its owner reads").isEqualTo("rw-------");
            }

            // alice, as a learner's programs see the lab: the handout's variables, read by LabConfig
            Path course = Files.createDirectories(dir.resolve("course"));
            Files.copy(dir.resolve("workshop/alice/workshop-alice.properties"), course.resolve("workshop-alice.properties"));
            Map<String, String> aliceEnv = new java.util.HashMap<>(alice);
            aliceEnv.put("KAFKA_CLIENT_PROPERTIES", course.resolve("workshop-alice.properties").toString());
            LabConfig asAlice = LabConfig.from(aliceEnv::get);
            assertThat(asAlice.kafkaIsShared()).as("a SASL login: the runner treats it as a room's cluster").isTrue();
            try (Admin admin = LabKafka.admin(asAlice)) {
                admin.createTopics(List.of(new NewTopic(asAlice.topic("my_topic"), Optional.of(1), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
                assertThat(causeOf(() -> admin.createTopics(List.of(new NewTopic("bob.my_topic", Optional.of(1), Optional.empty())))
                        .all().get(30, TimeUnit.SECONDS))).as("alice making a name in bob's namespace").isInstanceOf(TopicAuthorizationException.class);
                assertThat(causeOf(() -> admin.createTopics(List.of(new NewTopic("my_topic", Optional.of(1), Optional.empty())))
                        .all().get(30, TimeUnit.SECONDS))).as("alice making a name in no namespace").isInstanceOf(TopicAuthorizationException.class);
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("the topics alice sees: hers and the room's")
                        .containsExactlyInAnyOrder("alice.my_topic", WorkshopLab.ROOM_TOPIC);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producer(asAlice))) {
                assertThat(producer.send(new ProducerRecord<>("alice.my_topic", "hello")).get(30, TimeUnit.SECONDS).offset()).isZero();
                assertThat(producer.send(new ProducerRecord<>(WorkshopLab.ROOM_TOPIC, "alice", "{}")).get(30, TimeUnit.SECONDS).offset())
                        .as("alice's progress in the room's topic").isGreaterThanOrEqualTo(0);
            }
            CourseWorkshop.ensureTopic(asAlice, WorkshopLab.ROOM_TOPIC); // the runner finds it made, with no right to create

            // no login, a wrong password: refused at the door
            Properties none = new Properties();
            none.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
            none.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "6000");
            none.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
            try (Admin anonymous = Admin.create(none)) {
                assertThatThrownBy(() -> anonymous.listTopics().names().get(20, TimeUnit.SECONDS))
                        .as("no login on the room's listener").isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
            }
            Map<String, String> wrong = new java.util.HashMap<>(aliceEnv);
            Path wrongFile = course.resolve("wrong.properties");
            Files.writeString(wrongFile, Files.readString(course.resolve("workshop-alice.properties")).replace(room.passwords().get("alice"), "guess"));
            wrong.put("KAFKA_CLIENT_PROPERTIES", wrongFile.toString());
            try (Admin guessed = LabKafka.admin(LabConfig.from(wrong::get))) {
                assertThat(causeOf(() -> guessed.listTopics().names().get(20, TimeUnit.SECONDS))).as("a wrong password")
                        .isInstanceOf(SaslAuthenticationException.class);
            }

            // S3: the room's keys, not the lab's well-known ones
            try (MinioClient s3 = LabS3.client(asAlice)) {
                byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
                s3.putObject(PutObjectArgs.builder().bucket(asAlice.bucket()).object(asAlice.s3Key("lab-check/hello.txt"))
                        .stream(new ByteArrayInputStream(body), body.length, -1).build());
            }
            // a learner starts over: everything in alice's namespace goes, nothing of bob's
            LabConfig teacher = lab.config(); // this machine's view of the lab: the teacher's
            LabKafka.ensureTopic(teacher, "bob.my_topic", 1);
            try (Admin admin = LabKafka.admin(teacher)) {
                admin.alterConsumerGroupOffsets("alice.mygroupjava", Map.of(new org.apache.kafka.common.TopicPartition("alice.my_topic", 0),
                        new org.apache.kafka.clients.consumer.OffsetAndMetadata(1))).all().get(30, TimeUnit.SECONDS);
            }
            List<String> said = new java.util.ArrayList<>();
            LearnerReset.Deleted deleted = LearnerReset.reset(teacher, "alice", WorkshopLab.ROOM_TOPIC, said::add);
            assertThat(deleted).as("alice's topic, group and object:%n%s", said).isEqualTo(new LearnerReset.Deleted(1, 1, 1, false));
            try (Admin admin = LabKafka.admin(teacher)) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("after resetting alice")
                        .noneMatch(t -> t.startsWith("alice.")).contains("bob.my_topic", WorkshopLab.ROOM_TOPIC);
            }
            assertThat(said).as("what it says it did").anyMatch(l -> l.contains("tombstone for alice"))
                    .anyMatch(l -> l.startsWith("ClickHouse: not reached"));

            LabConfig wellKnown = asAlice.withS3(asAlice.s3Endpoint(), LabConfig.DEFAULT_S3_ACCESS_KEY, LabConfig.DEFAULT_S3_SECRET_KEY, "test");
            try (MinioClient s3 = LabS3.client(wellKnown)) {
                assertThatThrownBy(() -> s3.bucketExists(BucketExistsArgs.builder().bucket(wellKnown.bucket()).build()))
                        .as("minioadmin / minioadmin on the room's S3").isInstanceOf(io.minio.errors.ErrorResponseException.class);
            }
        }
        WorkshopLab.Room again = WorkshopLab.room(dir, "127.0.0.1", port, List.of("alice", "bob", "carol"));
        assertThat(again.passwords()).as("a restart keeps the logins handed out, and adds carol's")
                .containsEntry("alice", room.passwords().get("alice")).containsKey("carol");
        assertThatThrownBy(() -> WorkshopLab.room(dir, "127.0.0.1", port, List.of("Alice"))).hasMessageContaining("lower-case");
    }

    private static Properties producer(LabConfig lab) {
        Properties p = lab.kafkaProperties();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("max.block.ms", "20000");
        return p;
    }

    private static Map<String, String> env(Path file) throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        Map<String, String> m = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    private static Throwable causeOf(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("it must fail").isNotNull();
        return t instanceof ExecutionException ? t.getCause() : t;
    }
}
