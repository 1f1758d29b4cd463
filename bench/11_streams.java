///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/streams/StreamsApp.java ../lab/streams/ClickstreamFeed.java ../lab/streams/PlaysChart.java
//SOURCES ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java
//SOURCES ../solutions/11_kafka_streams/1_event_time/EventTime.java ../solutions/11_kafka_streams/2_windowed_count/PlaysPerMinute.java
//SOURCES ../solutions/11_kafka_streams/3_session_skip_rate/SkipRatePerSession.java ../solutions/11_kafka_streams/4_exactly_once/ExactlyOnce.java
//COMPILE_OPTIONS -encoding UTF-8
//MAIN StreamsBenchmark
//JAVA_OPTIONS -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender=error

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lesson 11's application, measured (not a test: a table printed; docs/benchmarks.md has the figures and the machine).
 *
 *   ./jbang bench/11_streams.java [--events 200000] [--rounds 3] [--warmup 1] [--minutes 10] [--chart docs/lesson11-plays-per-minute.png]
 *
 * Against the lab the environment names (./jbang lab up, or KAFKA_BOOTSTRAP_SERVERS). One topic of --events fixed-seed
 * events (3 partitions, keyed by user) is filled once; then, per round, the application starts cold (new application
 * id, empty state) under at_least_once and under exactly_once_v2, alternating, both committing every 100 ms
 * (exactly-once's default; at_least_once's own default is 30 s). events/s = events / time from RUNNING until the
 * group's lag is 0 on the input and the repartition topic (every event read, counted, and committed). Each run's
 * counts are checked against a plain count of the same events. --warmup rounds run first and are not counted (the JIT
 * and the broker warm up: the first runs are 2-3 times slower); the overhead is the median of the per-round ratios,
 * which survives a busy machine better than a ratio of medians. Last, the exactly-once instance is closed, its state
 * directory wiped, and started again: restore = the records its stores read back from their changelog topics, and the
 * time until it runs again.
 */
class StreamsBenchmark {
    record Result(String guarantee, int round, long toRunningMs, long caughtUpMs, long events, boolean countsEqual) {
        double eventsPerSecond() {
            return events / Math.max(0.001, caughtUpMs / 1000.0);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        int count = Integer.parseInt(opt.getOrDefault("--events", "200000"));
        int rounds = Integer.parseInt(opt.getOrDefault("--rounds", "3"));
        int warmup = Integer.parseInt(opt.getOrDefault("--warmup", "1"));
        int minutes = Integer.parseInt(opt.getOrDefault("--minutes", "10"));
        Path chart = Path.of(opt.getOrDefault("--chart", "docs/lesson11-plays-per-minute.png"));
        LabConfig lab = LabConfig.fromEnvironment();
        LabKafka.probe(lab, Duration.ofSeconds(5));
        long runId = Instant.now().getEpochSecond();
        String topic = "bench11_" + runId;
        Path stateRoot = StreamsApp.stateRoot();

        System.out.printf("streams benchmark: %,d events over %d minutes of event time, %d rounds, %d cores, max heap %,d MB%n", count,
                minutes, rounds, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        List<MusicEvent> events = ClickstreamFeed.events(11, count, Instant.now().truncatedTo(ChronoUnit.MINUTES), Duration.ofMinutes(minutes));
        Map<String, Long> expected = ClickstreamFeed.playsPerMinute(events);
        LabKafka.ensureTopic(lab, topic, 3);
        long f0 = System.nanoTime();
        ClickstreamFeed.send(lab, topic, events, List.of());
        System.out.printf("filled %s in %,d ms%n", topic, (System.nanoTime() - f0) / 1_000_000);

        List<Result> results = new ArrayList<>();
        Map<String, Long> lastPlays = null;
        String lastEos = null;
        for (int round = 1 - warmup; round <= rounds; round++) {
            for (String g : List.of("at_least_once", "exactly_once_v2")) {
                String appId = "bench11-" + (g.startsWith("at") ? "alos" : "eos") + (round + warmup) + "-" + runId;
                ClickstreamTopology.Guarantee guarantee = g.startsWith("at") ? ClickstreamTopology.AT_LEAST_ONCE : new ExactlyOnce();
                ClickstreamTopology.Options options = ClickstreamTopology.Options.defaults(topic, appId);
                long t0 = System.nanoTime();
                try (StreamsApp app = StreamsApp.start(lab, options, parts(guarantee),
                        StreamsApp.Instance.named(appId, stateRoot.resolve(appId)).settings(p -> p.put("commit.interval.ms", "100")))) {
                    app.awaitRunning(Duration.ofSeconds(300));
                    long toRunning = (System.nanoTime() - t0) / 1_000_000;
                    Duration caughtUp = StreamsApp.awaitCaughtUp(lab, appId, topic, Duration.ofSeconds(1800), app::checkAlive);
                    Map<String, Long> plays = app.localPlays();
                    Result r = new Result(g, round, toRunning, caughtUp.toMillis(), app.seen(), plays.equals(expected));
                    if (round > 0) {
                        results.add(r);
                    }
                    System.out.printf((round > 0 ? "round %d" : "warm-up %d") + " %-16s %,8.0f events/s (%,d ms to RUNNING, %,d ms to caught up)%s%n", round > 0 ? round : round + warmup, g,
                            r.eventsPerSecond(), toRunning, caughtUp.toMillis(), r.countsEqual() ? "" : "  COUNTS DIFFER from the plain count");
                    if (g.startsWith("exactly")) {
                        if (lastEos != null) {
                            deleteTree(stateRoot.resolve(lastEos)); // only the last exactly-once run's state is kept, for the restore
                        }
                        lastPlays = plays;
                        lastEos = appId;
                    }
                }
                if (!appId.equals(lastEos)) {
                    deleteTree(stateRoot.resolve(appId));
                }
            }
        }

        // restore: the last exactly-once application again, its state directory wiped
        deleteTree(stateRoot.resolve(lastEos));
        long r0 = System.nanoTime();
        long restoredRecords;
        long slowestPartitionMs;
        long restoreRunningMs;
        int partitions;
        boolean restoredEqual;
        try (StreamsApp app = StreamsApp.start(lab, ClickstreamTopology.Options.defaults(topic, lastEos), parts(new ExactlyOnce()),
                StreamsApp.Instance.named(lastEos, stateRoot.resolve(lastEos)))) {
            app.awaitRunning(Duration.ofSeconds(600));
            restoreRunningMs = (System.nanoTime() - r0) / 1_000_000;
            restoredRecords = app.restores().stream().mapToLong(StreamsApp.Restore::records).sum();
            slowestPartitionMs = app.restores().stream().mapToLong(StreamsApp.Restore::millis).max().orElse(0);
            partitions = app.restores().size();
            restoredEqual = app.localPlays().equals(lastPlays);
        } finally {
            deleteTree(stateRoot.resolve(lastEos));
        }
        System.out.printf("restore: %,d records into %d store partitions, slowest partition %,d ms, RUNNING after %,d ms%s%n",
                restoredRecords, partitions, slowestPartitionMs, restoreRunningMs, restoredEqual ? "" : "  STORE DIFFERS after the restore");

        double alos = median(results, "at_least_once");
        double eos = median(results, "exactly_once_v2");
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            ratios[i] = results.get(2 * i + 1).eventsPerSecond() / results.get(2 * i).eventsPerSecond();
        }
        double ratio = median(ratios);
        System.out.println();
        System.out.println("| measure | value | note |");
        System.out.println("|---|---:|---|");
        System.out.printf("| at_least_once, 1 instance | %,.0f events/s | median of %d cold starts; commit every 100 ms |%n", alos, rounds);
        System.out.printf("| exactly_once_v2, 1 instance | %,.0f events/s | median of %d cold starts; commit (= transaction) every 100 ms |%n", eos, rounds);
        System.out.printf("| exactly_once_v2 / at_least_once | %.2f | median of the per-round ratios %s: exactly-once needs %+.0f%% time |%n",
                ratio, Arrays.toString(Arrays.stream(ratios).map(x -> Math.round(x * 100) / 100.0).toArray()), 100.0 * (1 / ratio - 1));
        System.out.printf("| restore of a wiped instance | %,d ms | %,d changelog records into %d store partitions; slowest partition %,d ms |%n",
                restoreRunningMs, restoredRecords, partitions, slowestPartitionMs);
        System.out.printf("| counts vs a plain count | %s | every run's %,d windows |%n",
                results.stream().allMatch(Result::countsEqual) && restoredEqual ? "equal" : "DIFFER", expected.size());
        if (lastPlays != null) {
            System.out.println("chart: " + PlaysChart.write(lastPlays, String.format("Plays per minute: %,d events, lesson 11's application", count), chart));
        }
    }

    static ClickstreamTopology.Parts parts(ClickstreamTopology.Guarantee guarantee) {
        return new ClickstreamTopology.Parts(new EventTime(), new PlaysPerMinute(), new SkipRatePerSession(), guarantee);
    }

    static double median(List<Result> results, String guarantee) {
        return median(results.stream().filter(r -> r.guarantee().equals(guarantee)).mapToDouble(Result::eventsPerSecond).toArray());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static void deleteTree(Path dir) throws Exception {
        if (dir != null && Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
