//SOURCES MusicEventSerde.java SkipCounts.java DeadLetters.java ../LabConfig.java
//COMPILE_OPTIONS -encoding UTF-8
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Lesson 11's application: the clickstream of {@code music_events} answered in real time. Lesson 09 asks the lake
 * "how many plays per track per minute?" and "how often do listeners skip?"; this topology keeps the answers up to
 * date as the events arrive:
 * <pre>
 *   music_events --(MusicEventSerde, event time)--+--> plays per track, 1-minute tumbling windows --> store + topic
 *                                                 +--> plays and skips per user, session windows  --> store + topic
 * </pre>
 * The parts a learner writes come in through small seams ({@link Parts}): the timestamp extractor (exercise 11.1),
 * the windowed count (11.2), the session-window aggregate (11.3) and the processing guarantee with its read side
 * (11.4). This class is the wiring around them: the source, the stores' names and retention, the output topics, and
 * the application's settings. {@link StreamsApp} runs it.
 */
public final class ClickstreamTopology {
    /** The window store of plays per track per window (queryable: interactive queries read it by this name). */
    public static final String PLAYS_STORE = "plays-per-minute";
    /** The session store of plays and skips per user session. */
    public static final String SESSIONS_STORE = "skips-per-session";

    private ClickstreamTopology() {}

    /** Exercise 11.2: plays per track in tumbling windows of {@code size}, counted into {@code store}. */
    @FunctionalInterface
    public interface WindowedCount {
        KTable<Windowed<String>, Long> playsPerWindow(KStream<String, MusicEvent> events, Duration size, Duration grace,
                                                      Materialized<String, Long, WindowStore<Bytes, byte[]>> store);
    }

    /** Exercise 11.3: plays and skips per user in session windows ({@code eventsByUser} is keyed by user id). */
    @FunctionalInterface
    public interface SessionSkips {
        KTable<Windowed<String>, SkipCounts> skipsPerSession(KStream<String, MusicEvent> eventsByUser, Duration gap, Duration grace,
                                                             Materialized<String, SkipCounts, SessionStore<Bytes, byte[]>> store);
    }

    /** Exercise 11.4: the application's processing guarantee, and how a reader of its output topics must read. */
    public interface Guarantee {
        void streamsSettings(Properties streams);

        void readerSettings(Properties consumer);
    }

    /** Kafka Streams' default, spelled out: for comparing with exercise 11.4's exactly-once. */
    public static final Guarantee AT_LEAST_ONCE = new Guarantee() {
        @Override
        public void streamsSettings(Properties streams) {
            streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        }

        @Override
        public void readerSettings(Properties consumer) {
            consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        }

        @Override
        public String toString() {
            return StreamsConfig.AT_LEAST_ONCE;
        }
    };

    /**
     * The learner's parts. {@code eventTime} null: each record's own Kafka timestamp (what tests with exact times use);
     * {@code plays} or {@code sessions} null: the topology leaves that branch out (a test of one part needs only it).
     */
    public record Parts(TimestampExtractor eventTime, WindowedCount plays, SessionSkips sessions, Guarantee guarantee) {}

    /**
     * What the application reads and writes, and its windows.
     *
     * @param retention how long (in event time) the stores keep old windows and sessions for interactive queries
     */
    public record Options(String inputTopic, String applicationId, String playsTopic, String sessionsTopic,
                          Duration window, Duration grace, Duration sessionGap, Duration sessionGrace, Duration retention) {
        /**
         * 1-minute windows, 30-minute session gaps, output topics named after the application. The grace, 15 minutes,
         * is not only for phones that send late: when the application works through a backlog (its first start, a
         * restart, a new instance), its tasks race ahead of each other, and after the repartition by track the plays of
         * a slower partition arrive "late" at the count by as much as the backlog spans (lesson 11 measures it).
         */
        public static Options defaults(String inputTopic, String applicationId) {
            return new Options(inputTopic, applicationId, applicationId + ".plays-per-minute", applicationId + ".skips-per-session",
                    Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofMinutes(15), Duration.ofDays(1));
        }

        public Options grace(Duration d) {
            return new Options(inputTopic, applicationId, playsTopic, sessionsTopic, window, d, sessionGap, sessionGrace, retention);
        }

        public Options sessionGap(Duration d) {
            return new Options(inputTopic, applicationId, playsTopic, sessionsTopic, window, grace, d, sessionGrace, retention);
        }
    }

    /** The topology; {@code seen} counts every event that reaches it (bad messages never do: see {@link DeadLetters}). */
    public static Topology build(Options o, Parts parts, LongAdder seen) {
        StreamsBuilder builder = new StreamsBuilder();
        Consumed<String, MusicEvent> consumed = Consumed.with(Serdes.String(), new MusicEventSerde()).withName("music-events");
        if (parts.eventTime() != null) {
            consumed = consumed.withTimestampExtractor(parts.eventTime());
        }
        KStream<String, MusicEvent> events = builder.stream(o.inputTopic(), consumed)
                .filter((user, event) -> event != null, Named.as("no-tombstones"))
                .peek((user, event) -> seen.increment(), Named.as("count-seen"));

        if (parts.plays() != null) {
            KTable<Windowed<String>, Long> plays = parts.plays().playsPerWindow(events, o.window(), o.grace(),
                    Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(PLAYS_STORE)
                            .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()).withRetention(o.retention()));
            // every update of a count goes out (the latest value per key is the count), "<track>@<window start>" -> plays
            plays.toStream().map((w, n) -> KeyValue.pair(windowKey(w), n == null ? null : n.toString()))
                    .to(o.playsTopic(), Produced.with(Serdes.String(), Serdes.String()));
        }
        if (parts.sessions() != null) {
            // the topic is keyed by user (lesson 04's producer): sessions need no repartition, a user's events are in one partition
            KTable<Windowed<String>, SkipCounts> sessions = parts.sessions().skipsPerSession(events, o.sessionGap(), o.sessionGrace(),
                    Materialized.<String, SkipCounts, SessionStore<Bytes, byte[]>>as(SESSIONS_STORE)
                            .withKeySerde(Serdes.String()).withValueSerde(SkipCounts.serde()).withRetention(o.retention()));
            // a session that merged into a later one is deleted: its key gets a null value (a tombstone) on the topic
            sessions.toStream().map((w, c) -> KeyValue.pair(sessionKey(w), c == null ? null : c.plays() + "," + c.skips()))
                    .to(o.sessionsTopic(), Produced.with(Serdes.String(), Serdes.String()));
        }
        return builder.build();
    }

    /**
     * The application's settings: the lab's Kafka client properties, the application id (= its consumer group and
     * the prefix of its internal topics), a state directory, default serdes (String keys, music events), the
     * dead-letter handler, then the guarantee of {@code parts}.
     */
    public static Properties settings(LabConfig lab, Options o, Parts parts, Path stateDir, String instance) {
        Properties p = lab.kafkaProperties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, o.applicationId());
        p.put(StreamsConfig.CLIENT_ID_CONFIG, instance);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, MusicEventSerde.class.getName());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class.getName());
        p.put(DeadLetters.INSTANCE_CONFIG, instance);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        // small fetches per partition: with the default (1 MB, thousands of events), a backlog of the input is fetched
        // in big chunks that are worked off before the repartition topic's records, so the count lagged seconds behind
        // the read (measured: no play counted until most of a 20,000-event backlog was read; with 64 KB, right along)
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), "65536");
        if (parts.guarantee() != null) {
            parts.guarantee().streamsSettings(p);
        }
        return p;
    }

    /** The plays topic's key: {@code <track>@<window start, ISO-8601 UTC>}. */
    public static String windowKey(Windowed<String> w) {
        return w.key() + "@" + Instant.ofEpochMilli(w.window().start());
    }

    /** The sessions topic's key: {@code <user>@<first event>/<last event>}, ISO-8601 UTC. */
    public static String sessionKey(Windowed<String> w) {
        return w.key() + "@" + Instant.ofEpochMilli(w.window().start()) + "/" + Instant.ofEpochMilli(w.window().end());
    }
}
