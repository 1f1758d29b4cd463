//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
//DEPS org.apache.kafka:kafka_2.13:4.1.1
//DEPS org.apache.kafka:kafka-server:4.1.1
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;

/**
 * A real Apache Kafka broker (KRaft mode: broker and controller in one node) running inside this JVM.
 * It is the same server code as the distribution's {@code kafka-server-start.sh}, taken from Maven Central.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaRaftServer server;
    private final String bootstrap;
    private final String clusterId;
    private final Path logDir;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrap, String clusterId, Path logDir) {
        this.server = server;
        this.bootstrap = bootstrap;
        this.clusterId = clusterId;
        this.logDir = logDir;
    }

    /**
     * Formats {@code dataDir} on first use (an existing one is reused, so topics and committed offsets
     * survive a restart) and starts the broker on 127.0.0.1:{@code port}.
     */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort) throws IOException {
        return start(dataDir, port, controllerPort, new Properties());
    }

    /**
     * The same, with {@code extra} server settings on top (a workshop's listener for the room, its logins and ACLs:
     * {@link WorkshopLab}); a setting of {@code extra} replaces the lab's.
     */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort, Properties extra) throws IOException {
        trapExitAndHalt();
        Path logDir = dataDir.resolve("kafka-logs").toAbsolutePath();
        Files.createDirectories(logDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // one broker: every internal topic can only have one replica
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // a lab has one consumer at a time joining: do not wait 3 s for others before the first rebalance
        props.put("group.initial.rebalance.delay.ms", "0");
        // the default 128 MB dedupe buffer is sized for production; the lab's compacted topics are tiny
        props.put("log.cleaner.dedupe.buffer.size", "8388608");
        props.put("num.partitions", "1");
        // like the distribution: a topic is created on first use; lessons still create theirs explicitly
        props.put("auto.create.topics.enable", "true");
        props.putAll(extra);

        Path configFile = dataDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(configFile)) {
            props.store(out, "written by the embedded lab on every start");
        }
        String clusterId = format(configFile, logDir);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(server, "127.0.0.1:" + port, clusterId, logDir);
    }

    /**
     * Kafka's server code ends the JVM on a fatal error ({@code Exit.halt}, {@code Exit.exit}). In a test run, a lesson
     * or the lab that would end everything at once with nothing said; here it becomes an exception in the Kafka thread
     * that asked, printed to stderr. Set on every broker start, so every JVM that runs a broker has it.
     */
    private static void trapExitAndHalt() {
        Exit.setHaltProcedure((code, message) -> {
            System.err.println("[embedded kafka] Kafka asked to halt the JVM (" + code + "): " + message);
            throw new IllegalStateException("Kafka asked to halt the JVM (" + code + "): " + message);
        });
        Exit.setExitProcedure((code, message) -> {
            System.err.println("[embedded kafka] Kafka asked to exit the JVM (" + code + "): " + message);
            throw new IllegalStateException("Kafka asked to exit the JVM (" + code + "): " + message);
        });
    }

    /** Formats the log dir the first time (like {@code kafka-storage.sh format}); returns the cluster id. */
    private static String format(Path configFile, Path logDir) throws IOException {
        Path meta = logDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            return readClusterId(meta);
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString(), "--ignore-formatted"}, out);
        }
        if (rc != 0) {
            throw new IOException("Formatting Kafka's storage in " + logDir + " failed: " + captured.toString(StandardCharsets.UTF_8));
        }
        return clusterId;
    }

    private static String readClusterId(Path meta) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(meta)) {
            p.load(in);
        }
        return p.getProperty("cluster.id", "?");
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
