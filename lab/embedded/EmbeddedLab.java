//SOURCES EmbeddedKafka.java EmbeddedS3.java WorkshopLab.java ../LabConfig.java ../LabException.java ../kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The whole lab with no Docker: a real Kafka broker and a real S3 API server in this JVM.
 *
 * <p>{@code ./jbang lab up} runs it on the docker compose ports (Kafka 9092, S3 9000) with its data under
 * {@code .lab/}; tests run one per JVM on free ports with throwaway data.
 */
public final class EmbeddedLab implements AutoCloseable {

    /** How to start the lab: ports (0 = any free one) and where data lives (null = a temp dir, deleted on close). */
    public record Options(int kafkaPort, int controllerPort, int s3Port, Path dataDir, boolean s3OnDisk) {
        /** The docker compose ports, data kept under {@code .lab/} in the course folder. */
        public static Options composePorts() {
            return new Options(9092, 9093, 9000, courseRoot().resolve(".lab"), true);
        }

        /** Free ports and a temporary folder: what tests use. */
        public static Options throwaway() {
            return new Options(0, 0, 0, null, false);
        }
    }

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final Path dataDir;
    private final boolean temporary;
    private final LabConfig config;
    private final long startMillis;

    private EmbeddedLab(EmbeddedKafka kafka, EmbeddedS3 s3, Path dataDir, boolean temporary, LabConfig config, long startMillis) {
        this.kafka = kafka;
        this.s3 = s3;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.config = config;
        this.startMillis = startMillis;
    }

    public static EmbeddedLab start(Options options) throws Exception {
        return start(options, null);
    }

    /**
     * The lab, opened to a workshop's room when {@code room} is not null ({@link WorkshopLab}: a Kafka listener with
     * logins and ACLs on the room's address, S3 on every address with the room's keys); {@link #config()} stays this
     * machine's view (127.0.0.1), with the room's S3 keys.
     */
    public static EmbeddedLab start(Options options, WorkshopLab.Room room) throws Exception {
        long t0 = System.nanoTime();
        int kafkaPort;
        int controllerPort;
        int s3Port;
        // hold all three sockets until every port is known, so two free-port requests cannot get the same port
        try (ServerSocket k = reserve(options.kafkaPort(), "Kafka", "--kafka-port");
             ServerSocket c = reserve(options.controllerPort(), "Kafka's controller", "--controller-port");
             ServerSocket s = reserve(options.s3Port(), "S3", "--s3-port")) {
            kafkaPort = k.getLocalPort();
            controllerPort = c.getLocalPort();
            s3Port = s.getLocalPort();
        }
        boolean temporary = options.dataDir() == null;
        Path dataDir = temporary ? Files.createTempDirectory("kafka-in-practice-lab") : options.dataDir();
        Files.createDirectories(dataDir);
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, kafkaPort, controllerPort,
                room == null ? new java.util.Properties() : WorkshopLab.kafkaSettings(room, kafkaPort, controllerPort));
        String s3Key = room == null ? LabConfig.DEFAULT_S3_ACCESS_KEY : room.s3AccessKey();
        String s3Secret = room == null ? LabConfig.DEFAULT_S3_SECRET_KEY : room.s3SecretKey();
        EmbeddedS3 s3;
        try {
            s3 = EmbeddedS3.start(room == null ? "127.0.0.1" : "0.0.0.0", s3Port, s3Key, s3Secret,
                    options.s3OnDisk() ? dataDir.resolve("s3") : null);
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
        LabConfig base = LabConfig.localDefaults();
        // like compose's minio-init: the course bucket exists from the start
        s3.createBucket(base.bucket());
        LabConfig config = base
                .withKafka(kafka.bootstrapServers(), "embedded lab")
                .withS3(s3.endpoint(), s3Key, s3Secret, "embedded lab");
        if (room != null) {
            config = config.withClickhouse(config.clickhouseUrl(), config.clickhouseUser(), room.clickhousePassword(), "embedded lab");
        }
        EmbeddedLab lab = new EmbeddedLab(kafka, s3, dataDir, temporary, config, (System.nanoTime() - t0) / 1_000_000);
        LabKafka.awaitReady(config, java.time.Duration.ofSeconds(30));
        if (room != null) {
            WorkshopLab.open(config, room);
        }
        if (!temporary) {
            // tells `lab reset` that this data folder is in use
            Files.writeString(dataDir.resolve("lab.pid"), Long.toString(ProcessHandle.current().pid()));
        }
        return lab;
    }

    /** Endpoints of this lab, ready to hand to lessons and exercises. */
    public LabConfig config() {
        return config;
    }

    public String clusterId() {
        return kafka.clusterId();
    }

    public Path dataDir() {
        return dataDir;
    }

    public long startMillis() {
        return startMillis;
    }

    @Override
    public void close() {
        try {
            s3.close();
        } finally {
            kafka.close();
            if (temporary) {
                deleteRecursively(dataDir);
            } else {
                try {
                    Files.deleteIfExists(dataDir.resolve("lab.pid"));
                } catch (IOException e) {
                    System.err.println("could not remove " + dataDir.resolve("lab.pid") + ": " + e);
                }
            }
        }
    }

    /** The course folder: the nearest parent of the working directory holding jbang-catalog.json and pom.xml. */
    public static Path courseRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("jbang-catalog.json")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    /** A free port when asked for 0; otherwise the given one, or a clear message if something holds it. */
    static int claim(int port, String what, String flag) throws IOException {
        try (ServerSocket socket = reserve(port, what, flag)) {
            return socket.getLocalPort();
        }
    }

    /** An open socket on the port (a free one for 0); the caller closes it right before the server binds. */
    private static ServerSocket reserve(int port, String what, String flag) throws IOException {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 50);
            return socket;
        } catch (java.net.BindException e) {
            throw new LabException("Port " + port + " on 127.0.0.1 (" + what + ") is already taken.\n"
                    + "  Is the lab already running, here or as docker compose? `./jbang lab status` tells what answers.\n"
                    + "  Otherwise find the other process (`ss -ltnp | grep :" + port + "` or `lsof -i :" + port + "`) and stop it,\n"
                    + "  or start on another port: `./jbang lab up " + flag + " <port>` and point the lessons at it\n"
                    + "  (see `./jbang lab up --help`).");
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
