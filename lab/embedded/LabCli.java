///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../clickhouse/ChdbBridge.java ../clickhouse/ClickHouse.java EmbeddedLab.java LearnerReset.java ../LabConfig.java ../LabException.java ../kafka/LabKafka.java ../lake/LabS3.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dorg.slf4j.simpleLogger.log.org.apache.kafka.controller=error -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The course lab with no Docker: {@code ./jbang lab up} starts a real Kafka broker and an S3 server on the
 * docker compose ports, and ClickHouse's engine (the chDB bridge, tools/chdb) when it is installed;
 * {@code ./jbang lab status} says what answers where.
 */
public class LabCli {
    private static final String USAGE = """
            Usage: ./jbang lab <command>

              up [--kafka-port N] [--controller-port N] [--s3-port N] [--clickhouse-port N] [--no-clickhouse] [--data DIR]
                       start the embedded lab (a real Kafka broker and an S3 server in one JVM) on the
                       docker compose ports: Kafka 127.0.0.1:9092, S3 http://127.0.0.1:9000 (minioadmin),
                       and ClickHouse http://127.0.0.1:8123 (the chDB bridge, ClickHouse's engine in a Node
                       process; lessons 08-09; login default / clickhouse; with Node.js 18+ on the PATH it installs
                       itself the first time: `npm ci --prefix tools/chdb`).
                       Data stays under .lab/ in the course folder, so a restart keeps topics, messages,
                       committed offsets, objects and ClickHouse tables. Ctrl-C stops it cleanly.
                 --workshop HOST --learners alice,bob,... [--workshop-port 9094]
                       also open it to a workshop's room on this machine's address HOST (docs/workshop.md): Kafka on
                       HOST:9094 with a login per learner (SCRAM) and ACLs that keep each to their own names, S3 and
                       ClickHouse with keys of the room's; one folder per learner to hand out in .lab/workshop/
              status   say what answers where (embedded lab, docker compose, or a configured cluster)
              reset [--yes]
                       delete the embedded lab's data (.lab/): every topic, offset and object
              reset --learner NAME
                       a workshop's learner starts over: delete their topics, groups, objects and ClickHouse database
                       (every name starting with NAME.) and their line in the room view, on the lab the environment
                       names; nothing of anyone else's (docs/workshop.md)
              help     this text
            """;

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        try {
            switch (command) {
                case "up" -> up(List.of(args).subList(1, args.length));
                case "status" -> System.exit(status(LabConfig.fromEnvironment()) ? 0 : 1);
                case "reset" -> {
                    if (option(List.of(args), "--learner").isPresent()) {
                        LearnerReset.reset(LabConfig.fromEnvironment().withLearner(""), option(List.of(args), "--learner").get(),
                                Optional.ofNullable(LabConfig.setting("COURSE_ROOM_TOPIC")).orElse(WorkshopLab.ROOM_TOPIC), System.out::println);
                    } else {
                        reset(List.of(args).contains("--yes"));
                    }
                }
                case "help", "--help", "-h" -> System.out.print(USAGE);
                default -> {
                    System.err.println("Unknown command '" + command + "'.\n\n" + USAGE);
                    System.exit(64);
                }
            }
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    static void up(List<String> args) throws Exception {
        if (args.contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        EmbeddedLab.Options defaults = EmbeddedLab.Options.composePorts();
        Path data = option(args, "--data").map(Path::of).orElse(defaults.dataDir());
        EmbeddedLab.Options options = new EmbeddedLab.Options(
                option(args, "--kafka-port").map(Integer::parseInt).orElse(defaults.kafkaPort()),
                option(args, "--controller-port").map(Integer::parseInt).orElse(defaults.controllerPort()),
                option(args, "--s3-port").map(Integer::parseInt).orElse(defaults.s3Port()),
                data, true);
        boolean existed = Files.exists(data.resolve("kafka-logs").resolve("meta.properties"));
        WorkshopLab.Room room = null;
        if (option(args, "--workshop").isPresent()) {
            room = WorkshopLab.room(data, option(args, "--workshop").get(), option(args, "--workshop-port").map(Integer::parseInt).orElse(9094),
                    option(args, "--learners").map(l -> List.of(l.split(","))).orElse(List.of()));
        }
        System.out.println("Starting the embedded lab (" + (existed ? "reusing the data in " : "new data in ") + data + ")"
                + (room == null ? "" : ", open to the workshop's room at " + room.host()) + " ...");
        EmbeddedLab lab = EmbeddedLab.start(options, room);
        LabKafka.ClusterInfo cluster = LabKafka.probe(lab.config(), Duration.ofSeconds(10));
        ChdbBridge clickhouse = args.contains("--no-clickhouse") ? null
                : startClickHouse(lab.config(), room == null ? "127.0.0.1" : room.host(),
                        option(args, "--clickhouse-port").map(Integer::parseInt).orElse(8123), data.resolve("chdb"));
        if (room != null) {
            List<Path> handouts = WorkshopLab.handouts(data, room, lab.config().kafkaFirstAddress(), lab.config().s3Uri().getPort(),
                    clickhouse == null ? null : clickhouse.url());
            System.out.printf("""

                    Open to the room: Kafka %s:%d (SCRAM logins, ACLs per learner), S3 http://%s:%d and ClickHouse %s
                    (the room's keys). Hand each learner their folder (two files, their password inside):
                      %s
                    The room view: set -a; . %s; set +a; ./jbang course room
                    """, room.host(), room.port(), room.host(), lab.config().s3Uri().getPort(),
                    clickhouse == null ? "(not started)" : clickhouse.url(),
                    String.join("\n  ", handouts.stream().map(Path::toString).toList()),
                    handouts.get(0).resolve("workshop.env"));
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf("""

                The lab is up (%d ms, %d MB heap in use).
                  Kafka       %s   cluster %s, %d topic(s)
                  S3          %s   keys %s, bucket '%s'
                  %s
                  data        %s
                Leave this running. In another terminal:
                  ./jbang lesson01                                   write people to my_topic
                  ./jbang kafka-topics --bootstrap-server %s --list
                  ./jbang lab status
                Ctrl-C stops the lab; the data stays for the next `./jbang lab up` (`./jbang lab reset` wipes it).
                %n""",
                lab.startMillis(), (rt.totalMemory() - rt.freeMemory()) >> 20,
                lab.config().kafkaBootstrap(), cluster.clusterId(), cluster.topics().size(),
                lab.config().s3Endpoint(), room == null ? "minioadmin / minioadmin" : "of the room (" + room.s3AccessKey() + " / see the handouts)",
                lab.config().bucket(),
                clickhouse == null ? "ClickHouse  not started (see above): lessons 08-09 need it"
                        : String.format("ClickHouse  %-17s login %s / %s, chDB bridge (ClickHouse's engine in Node, pid %d)", clickhouse.url(),
                                lab.config().clickhouseUser(), room == null ? lab.config().clickhousePassword() : "<the room's>", clickhouse.pid()),
                data,
                lab.config().kafkaBootstrap());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the lab (Kafka flushes its logs first) ...");
            try {
                if (clickhouse != null) {
                    clickhouse.close();
                }
                lab.close();
                System.out.println("Stopped. Data kept in " + data);
            } catch (Exception e) {
                System.err.println("The lab did not stop cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }, "lab-stop"));
        stopped.await();
    }

    /** Prints what answers where; true when Kafka and S3 both answer. */
    static boolean status(LabConfig lab) {
        System.out.println("Looking for the lab at (" + lab.origin() + "):");
        boolean kafkaUp;
        try {
            LabKafka.ClusterInfo c = LabKafka.probe(lab, Duration.ofSeconds(3));
            System.out.printf("  [up]   Kafka       %-28s cluster %s, %d broker(s), %d topic(s)%n",
                    lab.kafkaBootstrap(), c.clusterId(), c.brokers(), c.topics().size());
            kafkaUp = true;
        } catch (LabException e) {
            System.out.printf("  [down] Kafka       %-28s nothing answers%n", lab.kafkaBootstrap());
            kafkaUp = false;
        }
        boolean s3Up;
        try {
            List<String> buckets = LabS3.probe(lab);
            System.out.printf("  [up]   S3          %-28s buckets %s%s%n", lab.s3Endpoint(), buckets,
                    buckets.contains(lab.bucket()) ? "" : "  (the course bucket '" + lab.bucket() + "' is missing)");
            s3Up = true;
        } catch (LabException e) {
            System.out.printf("  [down] S3          %-28s %s%n", lab.s3Endpoint(), e.getMessage().lines().findFirst().orElse(""));
            s3Up = false;
        }
        String clickhouse;
        try (ClickHouse ch = ClickHouse.connect(lab)) {
            clickhouse = String.format("  [up]   ClickHouse  %-28s %s", lab.clickhouseUrl(),
                    ch.describe().substring(ch.describe().indexOf('(')));
        } catch (RuntimeException e) { // nothing answers, or something that is not ClickHouse
            String missing = ChdbBridge.missing(EmbeddedLab.courseRoot());
            clickhouse = String.format("  [down] ClickHouse  %-28s %s", lab.clickhouseUrl(), "(needed from lesson 08"
                    + (missing == null ? "" : "; without Docker: " + missing) + ")");
        }
        System.out.println(clickhouse);
        System.out.printf("  [%s] Kafka UI    %-28s %s%n", httpAnswers("http://127.0.0.1:8080") ? "up  " : "down",
                "http://127.0.0.1:8080", "(docker compose only)");
        Path pid = EmbeddedLab.courseRoot().resolve(".lab").resolve("lab.pid");
        if (Files.exists(pid)) {
            System.out.println("The embedded lab's data is in " + pid.getParent() + (kafkaUp ? "" : " (its pid file is stale)"));
        }
        if (!kafkaUp || !s3Up) {
            System.out.println("\nStart it with `./jbang lab up` (no Docker) or `docker compose up -d`.");
        }
        return kafkaUp && s3Up;
    }

    static void reset(boolean yes) throws IOException {
        Path data = EmbeddedLab.courseRoot().resolve(".lab");
        if (!Files.exists(data)) {
            System.out.println("Nothing to reset: " + data + " does not exist.");
            return;
        }
        Path pid = data.resolve("lab.pid");
        if (Files.exists(pid)) {
            long p = Long.parseLong(Files.readString(pid).trim());
            if (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)) {
                throw new LabException("The embedded lab is running (pid " + p + "): stop it with Ctrl-C first, then reset.");
            }
        }
        if (!yes) {
            System.out.print("Delete every topic, message, offset and object of the embedded lab in " + data + "? [y/N] ");
            String answer = System.console() == null ? null : System.console().readLine();
            if (answer == null || !answer.trim().toLowerCase().startsWith("y")) {
                System.out.println("Nothing deleted.");
                return;
            }
        }
        EmbeddedLab.deleteRecursively(data);
        System.out.println("Deleted " + data + ". The next `./jbang lab up` starts empty.");
    }

    // --- ClickHouse: the chDB bridge (tools/chdb), started next to the embedded lab when installed ---------

    /** Starts the chDB bridge on the port, or says why not (not installed, port taken) and returns null: the lab runs on. */
    static ChdbBridge startClickHouse(LabConfig lab, String host, int port, Path dataDir) {
        String missing = ChdbBridge.missing(EmbeddedLab.courseRoot());
        if (missing != null) {
            System.out.println("ClickHouse (chDB) is not started: " + missing + ".\n"
                    + "  Lessons 08-09 need it; lessons 00-07 do not. With Docker, docker compose runs a ClickHouse server instead.");
            return null;
        }
        if (httpAnswers("http://" + host + ":" + port + "/ping")) {
            System.out.println("ClickHouse is not started here: something already answers at http://" + host + ":" + port
                    + " (a ClickHouse server or another lab?). Use --clickhouse-port N for another port, or --no-clickhouse.");
            return null;
        }
        System.out.println("Starting ClickHouse (the chDB bridge, data in " + dataDir + ") ...");
        try {
            return ChdbBridge.start(EmbeddedLab.courseRoot(), host, port, dataDir, lab.clickhouseUser(), lab.clickhousePassword(),
                    line -> System.out.println("  [clickhouse] " + line));
        } catch (LabException e) {
            System.out.println(e.getMessage() + "\n  The lab runs on without ClickHouse.");
            return null;
        }
    }

    static boolean httpAnswers(String url) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static java.util.Optional<String> option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i >= 0 && i + 1 < args.size()) {
            return java.util.Optional.of(args.get(i + 1));
        }
        return java.util.Optional.empty();
    }
}
