///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/clickhouse/ClickHouse.java ../../lab/clickhouse/KafkaTableStart.java ../../lab/events/Clickstream.java ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../../lab/kafka/ClickstreamProducer.java
//SOURCES ../../solutions/04_clickstream/3_preferred_settings/PreferredSettings.java ../../solutions/04_clickstream/4_clickstream_sender/ClickstreamSender.java
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How long ClickHouse's Kafka engine takes to consume music events into the typed table of lesson 08, end to end:
 * from starting the stream (sql/08_5: the consumer joins its group) until count() in music_events equals what was
 * produced. Each run gets a fresh topic (3 partitions), consumer group and tables; events are produced first.
 * Every size runs twice, alternating: with lesson 08's verdict (music_event_error, MusicEvent.parse's rules) and with
 * a verdict that accepts every message (the function replaced by one returning ''), so the difference is what the
 * strict verdict costs.
 *
 *   ./jbang lab up          (in another terminal: Kafka + the chDB bridge), then, from the course folder:
 *   ./jbang tools/bench/ClickHouseKafkaEngineBench.java [events ...]      default: 100000 100000 100000
 */
public class ClickHouseKafkaEngineBench {
    /** One run: events produced, seconds to produce them, seconds until ClickHouse had them all, rows it has. */
    public record Measured(long events, double produceSeconds, double consumeSeconds, long rows) {
        public double perSecond() {
            return rows / consumeSeconds;
        }
    }

    /** {@link #measure(ClickHouse, LabConfig, String, long, boolean)} with lesson 08's verdict. bench/Benchmarks.java calls this. */
    public static Measured measure(ClickHouse ch, LabConfig lab, String brokers, long n) {
        return measure(ch, lab, brokers, n, true);
    }

    /**
     * Produces {@code n} events to a fresh topic (3 partitions) with lesson 04's generator, then creates lesson 08's
     * tables and views (sql/08_4 drops and re-creates them, the three solved exercises, sql/08_5 starts the stream) and
     * times until count() in music_events reaches {@code n}; drops the Kafka table and views afterwards. Without
     * {@code verdict}, music_event_error is replaced by a function that accepts every message (sql/08_4 makes the
     * real one again on the next run).
     */
    public static Measured measure(ClickHouse ch, LabConfig lab, String brokers, long n, boolean verdict) {
        ch.runFile(Path.of("sql/08_2_kafka_errors.sql"), Map.of());
        String topic = "bench_music_events_" + UUID.randomUUID().toString().substring(0, 8);
        LabKafka.ensureTopic(lab, topic, 3);
        ClickstreamProducer.Result produced = ClickstreamProducer.run(lab, PreferredSettings.preferred(), new ClickstreamSender(), ClickstreamProducer.Options.count(topic, n),
                new Clickstream(n), s -> { });
        long start = System.nanoTime();
        Map<String, String> params = Map.of("kafka_broker_list", brokers, "music_events", topic);
        ch.runFile(Path.of("sql/08_4_music_events.sql"), params);
        if (!verdict) {
            ch.execute("CREATE OR REPLACE FUNCTION music_event_error AS (raw) -> ''");
        }
        for (String file : List.of("1_kafka_table/music_events_queue.sql", "2_typed_view/music_events_mv.sql", "3_errors_view/kafka_errors_mv.sql")) {
            ch.runFile(Path.of("solutions/08_clickhouse_kafka_engine").resolve(file), params);
        }
        ch.runFile(Path.of("sql/08_5_start_consuming.sql"),
                Map.of("group_starts", KafkaTableStart.sqlValues(KafkaTableStart.of(lab, "clickhouse_" + topic, topic))));
        long rows = ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM music_events WHERE kafka_topic = '" + topic + "'"), n,
                Duration.ofMinutes(10));
        double secs = (System.nanoTime() - start) / 1e9;
        for (String t : List.of("music_events_gaps_mv", "music_events_queue_mv", "music_events_mv", "music_events_errors_mv",
                "music_events_queue")) {
            ch.execute("DROP TABLE IF EXISTS " + t);
        }
        return new Measured(n, produced.millis() / 1000.0, secs, rows);
    }

    public static void main(String[] args) throws Exception {
        List<Long> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Long.parseLong(a.replace("_", "").replace(",", "")));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100_000L, 100_000L, 100_000L);
        }
        LabConfig lab = LabConfig.fromEnvironment();
        try (ClickHouse ch = ClickHouse.connect(lab)) {
            String brokers = ClickHouse.kafkaBrokerListFor(ch, lab);
            System.out.println("ClickHouse " + ch.describe() + ", Kafka " + lab.kafkaBootstrap() + " (for ClickHouse: " + brokers + "), "
                    + Runtime.getRuntime().availableProcessors() + " cores");
            System.out.println();
            System.out.println("| events | verdict | produce (s) | consume into music_events (s) | events/s consumed |");
            System.out.println("|---:|---|---:|---:|---:|");
            List<Double> ratios = new ArrayList<>();
            for (long n : sizes) {
                double[] perSecond = new double[2];
                for (boolean verdict : new boolean[] {false, true}) {
                    Measured m = measure(ch, lab, brokers, n, verdict);
                    perSecond[verdict ? 1 : 0] = m.perSecond();
                    System.out.printf("| %,d | %s | %.1f | %.1f%s | %,.0f |%n", n, verdict ? "lesson 08's (music_event_error)" : "none (accepts all)",
                            m.produceSeconds(), m.consumeSeconds(), m.rows() == n ? "" : " (only " + m.rows() + " rows)", m.perSecond());
                }
                ratios.add(perSecond[1] / perSecond[0]);
            }
            System.out.println();
            System.out.println("events/s with the verdict / without, per size: " + ratios.stream().map(r -> String.format("%.2f", r)).toList());
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
