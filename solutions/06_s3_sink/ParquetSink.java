///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/lake/ParquetSinkEngine.java ../../lab/lake/SinkRules.java
//SOURCES 1_flush_trigger/FlushTrigger.java 2_hive_path/HivePath.java 3_object_name/ObjectName.java 4_flush_order/FlushOrder.java 5_dead_letter/DeadLetter.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.time.Duration;

/**
 * Lesson 06's sink as you run it: the engine (lab/lake/ParquetSinkEngine.java: read, batch, store, commit, retries,
 * Ctrl-C) with the five parts written in exercises 06.1-06.5 (when to cut a batch, the folder, the name, the flush
 * order, the dead letter). Lessons 06 and 09, the benchmarks and the tests make their sinks here.
 *
 * Run it: {@code ./jbang solutions/06_s3_sink/ParquetSink.java [topic]}; Ctrl-C stores, commits and stops.
 */
public class ParquetSink {
    /**
     * The sink's consumer group. One lake, one group: a second group would write every record again under other batch
     * boundaries, i.e. duplicates (lesson 07's check finds them).
     */
    public static final String DEFAULT_GROUP = "music-events-parquet-sink";

    private ParquetSink() {}

    /** The five parts of exercises 06.1-06.5. */
    public static SinkRules rules() {
        return new SinkRules(new FlushTrigger(), new HivePath(), new ObjectName(), new FlushOrder(), new DeadLetter());
    }

    /** A sink with these options and the five parts; {@code run()} it. */
    public static ParquetSinkEngine create(LabConfig lab, ParquetSinkEngine.Options options) {
        return new ParquetSinkEngine(lab, options, rules());
    }

    public static void main(String[] args) {
        LabConfig lab = LabConfig.fromEnvironment();
        String topic = args.length > 0 ? args[0] : "music_events";
        try {
            LabKafka.probe(lab, Duration.ofSeconds(5));
            ParquetSinkEngine sink = create(lab, ParquetSinkEngine.Options.defaults(topic, DEFAULT_GROUP));
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                sink.stop(); // Ctrl-C: store the open batches, commit, leave the group
                try {
                    main.join(30_000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }));
            ParquetSinkEngine.Stats s = sink.run();
            System.out.printf("%nStopped: %,d records, %,d rows in %,d files, %,d dead letters.%n",
                    s.records.get(), s.rows.get(), s.files.get(), s.deadLetters.get());
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
