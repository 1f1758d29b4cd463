import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Lesson 11's tests' helpers: music events made to order (a user, a track, a time; names become UUIDs), and lab/streams' topology under
 * Kafka's TopologyTestDriver (no broker; time moves only when a record says so, so windows are exact).
 */
final class TestStreams {
    static final String INPUT = "music_events";

    private TestStreams() {}

    /**
     * A lower-case UUID named after {@code name} (the same name, the same id): a valid music event's user and track ids
     * are UUIDs, and tests read better with names.
     */
    static String id(String name) {
        return java.util.UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    static MusicEvent play(String user, String track, Instant at) {
        return event(EventType.TRACK_PLAYBACK, user, track, null, null, at);
    }

    static MusicEvent pause(String user, String track, Instant at) {
        return event(EventType.PAUSE_TRACK, user, track, null, null, at);
    }

    static MusicEvent skip(String user, String from, String to, Instant at) {
        return event(EventType.SKIPPING_TRACK_NEXT, user, null, from, to, at);
    }

    static MusicEvent like(String user, Instant at) {
        return new MusicEvent(EventType.TRACK_LIKE, id(user), "token", "203.0.113.7", "Russia", null, null, null, null, 1, at.toEpochMilli());
    }

    /** An event of {@code user} about tracks, each name made an id with {@link #id}. */
    private static MusicEvent event(EventType type, String user, String track, String prev, String current, Instant at) {
        return new MusicEvent(type, id(user), "token", "203.0.113.7", "Russia", track == null ? null : id(track),
                prev == null ? null : id(prev), current == null ? null : id(current), null, null, at.toEpochMilli());
    }

    /** The topology of {@code parts} under a TopologyTestDriver, with its state in {@code stateDir}. */
    static Driver driver(ClickstreamTopology.Options options, ClickstreamTopology.Parts parts, Path stateDir) {
        TopologyTestDriver driver = new TopologyTestDriver(
                ClickstreamTopology.build(options, parts, new java.util.concurrent.atomic.LongAdder()),
                ClickstreamTopology.settings(LabConfig.localDefaults(), options, parts, stateDir, "test-driver"));
        return new Driver(driver, options);
    }

    /** A running TopologyTestDriver with the application's input and output topics. */
    record Driver(TopologyTestDriver driver, ClickstreamTopology.Options options) implements AutoCloseable {
        /** Sends an event as it would arrive: keyed by user, with the time Kafka got it. */
        void send(MusicEvent event, Instant arrivedAt) {
            TestInputTopic<String, MusicEvent> in = driver.createInputTopic(options.inputTopic(), new StringSerializer(),
                    new MusicEventSerde().serializer());
            in.pipeInput(event.userId(), event, arrivedAt);
        }

        /** Sends an event that arrives when it happened. */
        void send(MusicEvent event) {
            send(event, event.eventTime());
        }

        /** Sends raw bytes (e.g. a message that is not a music event). */
        void sendRaw(String key, byte[] value, Instant arrivedAt) {
            driver.createInputTopic(options.inputTopic(), new StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer()).pipeInput(key, value, arrivedAt);
        }

        /** The latest value of every key of an output topic (a null value deletes the key). */
        Map<String, String> latest(String topic) {
            TestOutputTopic<String, String> out = driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer());
            Map<String, String> latest = new TreeMap<>();
            out.readKeyValuesToList().forEach(kv -> {
                if (kv.value == null) {
                    latest.remove(kv.key);
                } else {
                    latest.put(kv.key, kv.value);
                }
            });
            return latest;
        }

        /** The metric dropped-records-total, summed over the tasks: records Kafka Streams dropped (late, or bad). */
        double dropped() {
            return driver.metrics().entrySet().stream()
                    .filter(m -> m.getKey().name().equals("dropped-records-total"))
                    .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue()).sum();
        }

        @Override
        public void close() {
            driver.close();
        }
    }
}
