///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/events/EventType.java ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/events/MusicEvent.java ../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Lesson 05, the simple consumer: reads {@code music_events} into typed events, one readable line each,
 * and a summary per type. A message that is not an event is reported (partition, offset, why) and skipped:
 * it never stops the consumer.
 * Your exercise: the two TODOs below. Check them: {@code ./jbang course verify 05};
 * run it: {@code ./jbang exercises/05_simple_consumer/EventConsumer.java}; Ctrl-C stops it cleanly.
 */
public class EventConsumer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** A message that did not parse, and where it is. */
    public record Malformed(int partition, long offset, String reason) {}

    /** What a run read. */
    public static final class Summary {
        public final Map<EventType, Long> perType = new EnumMap<>(EventType.class);
        public final List<MusicEvent> events = new ArrayList<>();
        public final List<Malformed> malformed = new ArrayList<>();

        public long total() {
            return events.size() + malformed.size();
        }
    }

    /** Step 1: the consumer's settings. */
    static Properties consumerConfig(LabConfig lab, String groupId) {
        Properties props = lab.kafkaProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // TODO 05.1: the consumer's settings, each with a one-line comment saying why:
        //  - the group id ('groupId'), so offsets are remembered between runs
        //  - values as raw bytes (ByteArrayDeserializer): parsing belongs in our code, where a bad
        //    message can be reported and skipped (a JSON deserializer would throw inside poll())
        //  - a new group starts from the beginning of the topic (auto.offset.reset)
        //  - no auto-commit: consume() commits after handling each batch
        return Todo.todo("05", 1, "fill in the consumer's settings in consumerConfig()");
    }

    /** Step 2: one record: parse it into the summary, or note it as malformed and go on. */
    static void handle(ConsumerRecord<String, byte[]> record, Summary summary, Consumer<String> out) {
        // TODO 05.2: parse record.value() with MusicEvent.parse. For an event: add it to summary.events,
        //  count it in summary.perType and print line(record, event) with out.accept(...).
        //  For a MalformedEventException: add a Malformed(partition, offset, reason) to summary.malformed,
        //  print a SKIPPED line, and go on. The original project's error check never fired (it compared an
        //  error code with a class); here nothing may stop the loop.
        Todo.todo("05", 2, "parse each record, and report and skip a malformed one, in handle()");
    }

    /**
     * Reads {@code topic} in group {@code groupId} until nothing new arrives for {@code idle} (or {@code stop}
     * wakes it), committing after each batch.
     */
    public static Summary consume(LabConfig lab, String topic, String groupId, Duration idle, Consumer<String> out,
                                  Consumer<KafkaConsumer<?, ?>> onStart) {
        Summary summary = new Summary();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(lab, groupId))) {
            onStart.accept(consumer);
            consumer.subscribe(List.of(topic));
            long lastRecord = System.nanoTime();
            try {
                while (System.nanoTime() - lastRecord < idle.toNanos()) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<String, byte[]> record : records) {
                        handle(record, summary, out);
                    }
                    if (!records.isEmpty()) {
                        consumer.commitSync(); // the batch is handled: remember where we are
                        lastRecord = System.nanoTime();
                    }
                }
            } catch (WakeupException stopRequested) {
                // Ctrl-C: what was handled is committed below, then close() leaves the group at once
            }
            consumer.commitSync();
        }
        return summary;
    }

    static String line(ConsumerRecord<String, byte[]> record, MusicEvent e) {
        String what = switch (e.type()) {
            case TRACK_PLAYBACK, PAUSE_TRACK, RESUME_TRACK -> "track " + e.uuidTrack().substring(0, 8);
            case SKIPPING_TRACK_NEXT, SKIPPING_TRACK_PREV -> "track " + e.uuidTrackPrev().substring(0, 8) + " -> " + e.uuidTrackCurrent().substring(0, 8);
            case ADDING_TRACK_TO_PLAYLIST -> "track " + e.uuidTrack().substring(0, 8) + " to playlist " + e.uuidPlaylist().substring(0, 8);
            case TRACK_LIKE, TRACK_UNLIKE -> "like status " + e.uuidTrackLikeStatus();
        };
        return String.format("p%d@%-6d %s  %-24s user %s  %-13s %s", record.partition(), record.offset(),
                TIME.format(e.eventTime()), e.type().nameEn, e.userId().substring(0, 8), e.country(), what);
    }

    public static void main(String[] args) {
        LabConfig lab = LabConfig.fromEnvironment();
        String topic = args.length > 0 ? args[0] : "music_events";
        try {
            LabKafka.probe(lab, Duration.ofSeconds(5));
            Thread main = Thread.currentThread();
            KafkaConsumer<?, ?>[] running = new KafkaConsumer<?, ?>[1];
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (running[0] != null) {
                    running[0].wakeup(); // the only consumer method that is safe from another thread
                }
                try {
                    main.join(10_000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }));
            Summary s = consume(lab, topic, "lesson05-simple-consumer", Duration.ofSeconds(5), System.out::println, c -> running[0] = c);
            System.out.printf("%nRead %,d messages: %,d events, %,d malformed (skipped).%n", s.total(), s.events.size(), s.malformed.size());
            s.perType.forEach((t, n) -> System.out.printf("  %-26s %,d%n", t.nameEn, n));
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
