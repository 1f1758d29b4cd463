//SOURCES ../events/Clickstream.java ../events/MusicEvent.java ../LabConfig.java ../LabException.java ../kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lesson 11's input: a fixed-seed clickstream (lab/events/Clickstream) whose event times span a chosen stretch of the
 * recent past, sent keyed by user like lesson 04's producer; and the plain count that the application's windows must
 * agree with.
 */
public final class ClickstreamFeed {
    private ClickstreamFeed() {}

    /**
     * {@code count} events of the seeded clickstream (1,000 tracks, 1,000 users), in time order, spread evenly
     * over {@code span}, the last one 1 ms before {@code end}. The same seed, count, end and span give the
     * same events.
     */
    public static List<MusicEvent> events(long seed, int count, Instant end, Duration span) {
        Clickstream stream = new Clickstream(seed, 1_000, 1_000, 0);
        List<MusicEvent> raw = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            raw.add(stream.next());
        }
        long last = raw.isEmpty() ? 0 : raw.get(raw.size() - 1).tsMs();
        // the last event 1 ms before `end`: every minute of the span is a whole one
        double scale = last == 0 ? 0 : (span.toMillis() - 1.0) / last;
        long start = end.toEpochMilli() - span.toMillis();
        List<MusicEvent> events = new ArrayList<>(count);
        for (MusicEvent e : raw) {
            events.add(new MusicEvent(e.type(), e.userId(), e.platformToken(), e.ipv4(), e.country(), e.uuidTrack(), e.uuidTrackPrev(),
                    e.uuidTrackCurrent(), e.uuidPlaylist(), e.uuidTrackLikeStatus(), start + Math.round(e.tsMs() * scale)));
        }
        return events;
    }

    /** Sends the events keyed by user (acks=all, idempotent), then {@code bad} raw messages; waits for every ack. */
    public static void send(LabConfig lab, String topic, List<MusicEvent> events, List<String> bad) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (MusicEvent e : events) {
                producer.send(new ProducerRecord<>(topic, e.userId(), e.toBytes()), (m, error) -> {
                    if (error != null) {
                        failed.compareAndSet(null, error);
                    }
                });
            }
            for (String b : bad) {
                producer.send(new ProducerRecord<>(topic, "bad", b.getBytes(StandardCharsets.UTF_8)), (m, error) -> {
                    if (error != null) {
                        failed.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new LabException("Could not send the events to " + topic + " at " + lab.kafkaBootstrap() + ": "
                    + failed.get().getMessage(), failed.get());
        }
    }

    /**
     * The plain count, with no Kafka Streams: plays per track per minute of event time, keyed like the
     * application's output, {@code <track>@<minute start, ISO-8601 UTC>}.
     */
    public static Map<String, Long> playsPerMinute(List<MusicEvent> events) {
        Map<String, Long> plays = new TreeMap<>();
        for (MusicEvent e : events) {
            if (e.type() == EventType.TRACK_PLAYBACK) {
                plays.merge(e.uuidTrack() + "@" + Instant.ofEpochMilli(e.tsMs() - Math.floorMod(e.tsMs(), 60_000L)), 1L, Long::sum);
            }
        }
        return plays;
    }
}
