//SOURCES ../LabConfig.java ../LabException.java ../kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The embedded lab opened to a room ({@code ./jbang lab up --workshop HOST --learners alice,bob}): a deliberate option,
 * since every lab port otherwise binds 127.0.0.1. What the room's network can reach, and what it refuses:
 * <ul>
 *   <li>Kafka: a second listener on HOST (SASL_PLAINTEXT, SCRAM-SHA-256: the password never crosses the network; the
 *       traffic is not encrypted). One login per learner, whose ACLs allow only names in the learner's namespace
 *       ({@code alice.*} topics, groups and transactional ids), the console consumer's throwaway groups, and writing
 *       progress to the room's topic. The teacher's login may do anything. The lab's own 127.0.0.1 listener stays
 *       open to this machine's programs (the teacher's lessons, the chDB bridge's Kafka engine).</li>
 *   <li>S3: S3Proxy on every address, answering only requests signed with the room's key pair (not minioadmin). One
 *       key pair for the room: objects are kept apart by the namespace, not by the server (S3Proxy has one identity).</li>
 *   <li>ClickHouse: the chDB bridge on HOST with a password of the room's (shared by the room, like S3's keys).</li>
 * </ul>
 * The secrets are made once and kept in {@code workshop/room.properties} (readable by its owner only) in the lab's
 * data folder, with one folder per learner to hand out: {@code workshop/<learner>/workshop.env} and its Kafka client
 * properties. See docs/workshop.md.
 */
public final class WorkshopLab {
    /** The listener the room connects to. */
    static final String LISTENER = "WORKSHOP";
    static final String TEACHER = "teacher";
    /** The room view's topic (tools/course/CourseWorkshop.DEFAULT_TOPIC). */
    static final String ROOM_TOPIC = "course-room";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The room: the address and port learners reach Kafka at, each login's password, the S3 keys, ClickHouse's password. */
    public record Room(String host, int port, Map<String, String> passwords, String s3AccessKey, String s3SecretKey,
                       String clickhousePassword) {
        /** The learners' names (the teacher's login aside). */
        public List<String> learners() {
            return passwords.keySet().stream().filter(n -> !n.equals(TEACHER)).toList();
        }

        /** What to print: never the secrets. */
        @Override
        public String toString() {
            return "Room[" + host + ":" + port + ", learners " + learners() + "]";
        }
    }

    private WorkshopLab() {}

    /**
     * The room for these learners, with the secrets kept in {@code dataDir/workshop/room.properties} from an earlier
     * start (so a restart hands out the same files) and new ones for a new learner.
     */
    public static Room room(Path dataDir, String host, int port, List<String> learners) throws IOException {
        List<String> bad = learners.stream().filter(n -> !LabConfig.isLearnerName(n) || n.equals(TEACHER)).toList();
        if (!bad.isEmpty() || learners.isEmpty()) {
            throw new LabException("--learners needs the learners' names, e.g. --learners alice,bob,carol; " + (bad.isEmpty()
                    ? "none given." : LabConfig.badLearner(bad.get(0)) + (bad.get(0).equals(TEACHER) ? " (teacher is the teacher's login)" : "")));
        }
        Path file = dataDir.resolve("workshop").resolve("room.properties");
        Properties kept = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                kept.load(in);
            }
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String name : concat(TEACHER, learners)) {
            passwords.put(name, kept.getProperty("password." + name, secret()));
        }
        Room room = new Room(host, port, passwords, kept.getProperty("s3.access.key", "workshop"),
                kept.getProperty("s3.secret.key", secret()), kept.getProperty("clickhouse.password", secret()));
        passwords.forEach((n, p) -> kept.setProperty("password." + n, p));
        kept.setProperty("s3.access.key", room.s3AccessKey());
        kept.setProperty("s3.secret.key", room.s3SecretKey());
        kept.setProperty("clickhouse.password", room.clickhousePassword());
        writePrivate(file, kept, "the workshop's secrets: keep them to the teacher");
        return room;
    }

    /** The broker settings for the room's listener on top of the lab's own (see the class comment). */
    static Properties kafkaSettings(Room room, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + "," + LISTENER + "://"
                + room.host() + ":" + room.port());
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + "," + LISTENER + "://" + room.host() + ":" + room.port());
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT," + LISTENER + ":SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
        p.put("listener.name.workshop.sasl.enabled.mechanisms", "SCRAM-SHA-256");
        p.put("listener.name.workshop.scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // ANONYMOUS: whoever uses the 127.0.0.1 listeners, i.e. this machine (the controller, the teacher, the bridge)
        p.put("super.users", "User:ANONYMOUS;User:" + TEACHER);
        // the room's topic is made here: no learner may create topics outside their namespace
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    /** The logins (SCRAM credentials), each learner's ACLs and the room's topic, made through the lab's own listener. */
    static void open(LabConfig local, Room room) {
        try (Admin admin = LabKafka.admin(local)) {
            List<UserScramCredentialAlteration> logins = new ArrayList<>();
            room.passwords().forEach((name, password) -> logins.add(new UserScramCredentialUpsertion(name,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), password)));
            admin.alterUserScramCredentials(logins).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = new ArrayList<>();
            for (String learner : room.learners()) {
                String user = "User:" + learner;
                for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
                    acls.add(allow(type, learner + ".", PatternType.PREFIXED, user, AclOperation.ALL));
                }
                // the console consumer with no --group reads in a throwaway group of its own (lesson 02)
                acls.add(allow(ResourceType.GROUP, "console-consumer-", PatternType.PREFIXED, user, AclOperation.READ));
                acls.add(allow(ResourceType.TOPIC, ROOM_TOPIC, PatternType.LITERAL, user, AclOperation.WRITE));
                acls.add(allow(ResourceType.TOPIC, ROOM_TOPIC, PatternType.LITERAL, user, AclOperation.DESCRIBE));
            }
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            try {
                admin.createTopics(List.of(new NewTopic(ROOM_TOPIC, java.util.Optional.of(1), java.util.Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact", "segment.ms", "60000", "min.cleanable.dirty.ratio", "0.01",
                                "delete.retention.ms", "60000")))).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new LabException("Could not open the lab to the room (logins, ACLs): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while opening the lab to the room", e);
        }
    }

    /**
     * One folder per learner under {@code dataDir/workshop/}: {@code workshop.env} (the variables to set: addresses,
     * keys, the learner's name) and {@code workshop-<learner>.properties} (the Kafka login). {@code s3Port} and
     * {@code clickhouse} (null: none) are where the room reaches them; ClickHouse reaches Kafka at {@code localKafka}
     * (the lab's own listener) and S3 on 127.0.0.1.
     */
    static List<Path> handouts(Path dataDir, Room room, String localKafka, int s3Port, String clickhouse) throws IOException {
        List<Path> folders = new ArrayList<>();
        for (String learner : concat(TEACHER, room.learners())) {
            Path folder = Files.createDirectories(dataDir.resolve("workshop").resolve(learner));
            Properties client = new Properties();
            client.setProperty("bootstrap.servers", room.host() + ":" + room.port());
            client.setProperty("security.protocol", "SASL_PLAINTEXT");
            client.setProperty("sasl.mechanism", "SCRAM-SHA-256");
            client.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + learner + "\" password=\"" + room.passwords().get(learner) + "\";");
            String properties = "workshop-" + learner + ".properties";
            writePrivate(folder.resolve(properties), client, "Kafka in Practice: " + learner + "'s Kafka login for the workshop");
            List<String> env = new ArrayList<>(List.of(
                    "# Kafka in Practice: the workshop's settings for " + learner + ". Put this folder's two files in your",
                    "# course folder, then (bash, zsh) set -a; . ./workshop.env; set +a   - see docs/workshop.md for Windows.",
                    "KAFKA_BOOTSTRAP_SERVERS=" + room.host() + ":" + room.port(),
                    "KAFKA_CLIENT_PROPERTIES=" + properties,
                    "S3_ENDPOINT=http://" + room.host() + ":" + s3Port,
                    "S3_ACCESS_KEY=" + room.s3AccessKey(),
                    "S3_SECRET_KEY=" + room.s3SecretKey()));
            if (clickhouse != null) {
                env.addAll(List.of("CLICKHOUSE_URL=" + clickhouse, "CLICKHOUSE_PASSWORD=" + room.clickhousePassword(),
                        "CLICKHOUSE_KAFKA_BROKER_LIST=" + localKafka, "CLICKHOUSE_S3_ENDPOINT=http://127.0.0.1:" + s3Port));
            }
            if (!learner.equals(TEACHER)) {
                env.addAll(List.of("COURSE_LEARNER=" + learner, "COURSE_ROOM=on"));
            }
            Path file = folder.resolve("workshop.env");
            Files.deleteIfExists(file);
            createPrivate(file);
            Files.write(file, env);
            folders.add(folder);
        }
        return folders;
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        rest.stream().filter(n -> !all.contains(n)).forEach(all::add);
        return all;
    }

    /** 16 random characters from a URL-safe alphabet (96 bits). */
    private static String secret() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void writePrivate(Path file, Properties props, String comment) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        createPrivate(file);
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, comment);
        }
    }

    private static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }
}
