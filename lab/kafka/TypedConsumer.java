//SOURCES ../LabConfig.java ../LabException.java LabKafka.java ../events/EventType.java ../events/MalformedEventException.java ../events/MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Lesson 05's consumer loop: reads a topic in a group, hands every record to a {@link Handler} with a {@link Parser},
 * and commits after each batch it handled. What to do with one record — an event, or a message that is none — is
 * the handler's business (exercise 05.2 writes one); how bytes become an event is the parser's ({@link MusicEvent#parse},
 * or exercise 05.1's strict parse).
 */
public final class TypedConsumer {
    private TypedConsumer() {}

    /** Bytes to an event, or a {@link MalformedEventException} saying why they are none. */
    @FunctionalInterface
    public interface Parser {
        MusicEvent parse(byte[] value) throws MalformedEventException;
    }

    /** What the loop does with one record: parse it, and tell the summary what it was. */
    @FunctionalInterface
    public interface Handler {
        void handle(ConsumerRecord<String, byte[]> record, Parser parser, Summary summary);
    }

    /** A message that is no event, and where it is. */
    public record Malformed(int partition, long offset, String reason) {}

    /** How long joining the group may take before the loop gives up. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** What a run read; every call also prints one line through the run's output. */
    public static final class Summary {
        public final Map<EventType, Long> perType = new EnumMap<>(EventType.class);
        public final List<MusicEvent> events = new ArrayList<>();
        public final List<Malformed> malformed = new ArrayList<>();
        private final Consumer<String> out;

        public Summary(Consumer<String> out) {
            this.out = out;
        }

        /** The record held this event. */
        public void event(ConsumerRecord<?, ?> record, MusicEvent event) {
            events.add(event);
            perType.merge(event.type(), 1L, Long::sum);
            out.accept(line(record.partition(), record.offset(), event));
        }

        /** The record at this partition and offset is no event, for this reason. */
        public void malformed(int partition, long offset, String reason) {
            malformed.add(new Malformed(partition, offset, reason));
            out.accept(String.format("p%d@%-6d SKIPPED  %s", partition, offset, reason));
        }

        public long total() {
            return events.size() + malformed.size();
        }
    }

    /** The group consumer's settings. */
    public static Properties settings(LabConfig lab, String groupId) {
        Properties props = lab.kafkaProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // raw bytes: parsing happens in our code, where a bad message can be reported and skipped; a JSON
        // deserializer would throw inside poll() and stop the consumer at the bad offset for good
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // a new group starts at the beginning of the topic instead of only seeing new messages
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // we commit ourselves, after the records are handled: never ahead of the work
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    /**
     * Reads {@code topic} in group {@code groupId} until nothing new arrives for {@code idle} (or {@code onStart}'s
     * consumer is woken up from another thread), handing each record to {@code handler} and committing after each batch.
     */
    public static Summary consume(LabConfig lab, String topic, String groupId, Duration idle, Parser parser, Handler handler,
                                  Consumer<String> out, Consumer<KafkaConsumer<?, ?>> onStart) {
        Summary summary = new Summary(out);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings(lab, groupId))) {
            onStart.accept(consumer);
            // the idle clock starts once the group has given us partitions: joining (on a fresh broker, the offsets
            // topic is created first) can take seconds, and is no sign that the topic has nothing more
            long[] lastRecord = {Long.MAX_VALUE};
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    lastRecord[0] = System.nanoTime();
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
            });
            long joinDeadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
            try {
                while (lastRecord[0] == Long.MAX_VALUE ? System.nanoTime() < joinDeadline : System.nanoTime() - lastRecord[0] < idle.toNanos()) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<String, byte[]> record : records) {
                        handler.handle(record, parser, summary);
                    }
                    if (!records.isEmpty()) {
                        consumer.commitSync(); // the batch is handled: remember where we are
                        lastRecord[0] = System.nanoTime();
                    }
                }
                if (lastRecord[0] == Long.MAX_VALUE) {
                    throw new LabException("The consumer got no partitions of '" + topic + "' in group '" + groupId + "' within "
                            + JOIN_TIMEOUT.toSeconds() + " s (is the broker at " + lab.kafkaBootstrap() + " overloaded?)");
                }
            } catch (WakeupException stopRequested) {
                // Ctrl-C: what was handled is committed below, then close() leaves the group at once
            }
            consumer.commitSync();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new LabException(lab.howToStartKafka() + "\n  (" + LabKafka.rootMessage(e) + ")", e);
        }
        return summary;
    }

    /** One readable line per event; never throws on an event the model accepted (ids are shown by their first 8 characters). */
    public static String line(int partition, long offset, MusicEvent e) {
        String what = switch (e.type()) {
            case TRACK_PLAYBACK, PAUSE_TRACK, RESUME_TRACK -> "track " + head(e.uuidTrack());
            case SKIPPING_TRACK_NEXT, SKIPPING_TRACK_PREV -> "track " + head(e.uuidTrackPrev()) + " -> " + head(e.uuidTrackCurrent());
            case ADDING_TRACK_TO_PLAYLIST -> "track " + head(e.uuidTrack()) + " to playlist " + head(e.uuidPlaylist());
            case TRACK_LIKE, TRACK_UNLIKE -> "like status " + e.uuidTrackLikeStatus();
        };
        return String.format("p%d@%-6d %s  %-24s user %s  %-13s %s", partition, offset,
                TIME.format(e.eventTime()), e.type().nameEn, head(e.userId()), e.country(), what);
    }

    private static String head(String id) {
        return id == null ? "-" : id.length() <= 8 ? id : id.substring(0, 8);
    }
}
