///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/events/Clickstream.java ../lab/events/EventType.java ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/teaching/Lesson.java ../lab/teaching/Mistakes.java ../lab/events/MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
//MAIN RecommendationsLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lesson 10 — recommendations. Mostly reading, with small checks you can run: when a framework beats a hand-written
 * consumer, what a binary format saves over JSON, how partitions bound a consumer group, and the original project's
 * mistakes in one table, each with the test of lessons 2-9 that shows it.
 *
 *   ./jbang lesson10 [--no-kafka]
 *
 * Step 4 times a flush after every message against batched sends: it needs Kafka (`./jbang lab up`); without it (or
 * with --no-kafka) that step is skipped and the rest runs.
 */
class RecommendationsLesson {
    public static void main(String[] args) throws Exception {
        boolean kafka = !List.of(args).contains("--no-kafka");
        Lesson.title("10");
        frameworks();
        formats();
        partitions();
        if (kafka) {
            try {
                flushPerMessage(Lesson.lab());
            } catch (LabException e) {
                Lesson.say("Skipped: " + e.getMessage().lines().findFirst().orElse("no Kafka"));
            }
        }
        mistakes();
        Lesson.finished("10");
    }

    static void frameworks() {
        Lesson.step(1, "A hand-written consumer, or a framework?");
        Lesson.say("This course wrote its consumers by hand to show what every one of them must get right: commit after");
        Lesson.say("store, deterministic names, a dead-letter topic, retries. In production, reach for a framework when it");
        Lesson.say("already does the job:");
        Lesson.saw("Kafka Connect  moving data with no logic: topic -> S3/database/search and back. The S3 sink connector");
        Lesson.saw("               is lesson 06 (size/time batches, partitioner, exactly-once names, DLQ) as configuration.");
        Lesson.saw("Flink          stateful streaming: event-time windows, joins of streams, late events, exactly-once via");
        Lesson.saw("               checkpoints; when answers are needed in seconds, not after the next file lands.");
        Lesson.saw("Spark          a team that already runs Spark; big batch + micro-batch jobs; writing table formats");
        Lesson.saw("               (Iceberg, Delta) into the lake with compaction; Structured Streaming.");
        Lesson.saw("NiFi           many sources and routes, drawn in a UI, run by an operations team; little code.");
        Lesson.saw("Kafka engine   ClickHouse consuming by itself (lesson 08): no code at all, for analytics tables.");
        Lesson.say("Write it by hand when the logic is yours and small, the dependencies must stay few, or no tool fits -");
        Lesson.say("and then test it the way lessons 06-07 do: crash it between store and commit, and count.");
    }

    static void formats() throws IOException {
        Lesson.step(2, "Formats: the same event as JSON and as a schema-based binary encoding");
        Clickstream stream = new Clickstream(10, 1_000, 500, Instant.parse("2026-11-24T12:00:00Z").toEpochMilli());
        List<MusicEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            events.add(stream.next());
        }
        MusicEvent one = events.stream().filter(e -> e.type() == EventType.SKIPPING_TRACK_NEXT).findFirst().orElseThrow();
        byte[] json = one.toBytes();
        byte[] binary = binary(one);
        Lesson.saw(String.format("one skipping_track_next event: JSON %d bytes, binary %d bytes", json.length, binary.length));
        ByteArrayOutputStream allJson = new ByteArrayOutputStream();
        ByteArrayOutputStream allBinary = new ByteArrayOutputStream();
        for (MusicEvent e : events) {
            allJson.write(e.toBytes());
            allBinary.write(binary(e));
        }
        Lesson.saw(String.format("1,000 events: JSON %,d bytes (gzip %,d), binary %,d bytes (gzip %,d)", allJson.size(),
                gzip(allJson.toByteArray()), allBinary.size(), gzip(allBinary.toByteArray())));
        Lesson.say("The binary form is what Avro and Protobuf do: the schema names the fields once, outside the message;");
        Lesson.say("numbers are varints, a UUID is 16 bytes instead of 36 characters, an IPv4 address is 4. (This one is");
        Lesson.say("hand-rolled with the JDK's DataOutputStream to show the idea; use Avro or Protobuf for real.)");
        Lesson.say("The bigger win is the schema itself: with a schema registry a producer cannot send a message the");
        Lesson.say("consumers cannot read, and fields can be added with defaults (schema evolution) instead of by surprise.");
        Lesson.saw("JSON      readable, no schema, no tooling needed; the largest; every reader re-validates it (lesson 05).");
        Lesson.saw("Avro      schema in a registry, compact, evolution with defaults; the Kafka Connect / data-lake default.");
        Lesson.saw("Protobuf  schema in .proto files, compact, generated classes; strong when services share the events.");
        Lesson.say("Compression (lesson 04's lz4 batches) narrows the gap for JSON on the wire, not in memory or in parsing.");
    }

    /** The event without field names: a type byte, UUIDs as 16 bytes, IPv4 as 4, varint times. */
    static byte[] binary(MusicEvent e) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(e.type().id);
        uuid(out, e.userId());
        byte[] token = e.platformToken().getBytes(StandardCharsets.UTF_8);
        varint(out, token.length);
        out.write(token);
        out.write(InetAddress.getByName(e.ipv4()).getAddress());
        byte[] country = e.country().getBytes(StandardCharsets.UTF_8);
        varint(out, country.length);
        out.write(country);
        for (String track : new String[] {e.uuidTrack(), e.uuidTrackPrev(), e.uuidTrackCurrent(), e.uuidPlaylist()}) {
            if (track != null) {
                uuid(out, track);
            }
        }
        if (e.uuidTrackLikeStatus() != null) {
            out.writeByte(e.uuidTrackLikeStatus());
        }
        varint(out, e.tsMs());
        return bytes.toByteArray();
    }

    static void uuid(DataOutputStream out, String uuid) throws IOException {
        UUID u = UUID.fromString(uuid);
        out.writeLong(u.getMostSignificantBits());
        out.writeLong(u.getLeastSignificantBits());
    }

    static void varint(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static int gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.size();
    }

    static void partitions() {
        Lesson.step(3, "Partitioning: in Kafka, and in the lake");
        int partitions = 6;
        for (int consumers : new int[] {1, 2, 4, 6, 8}) {
            int busy = Math.min(consumers, partitions);
            int least = partitions / busy;
            int most = (partitions + busy - 1) / busy;
            Lesson.saw(String.format("%d partitions, %d consumer(s) in one group: %d busy with %s partition(s) each, %d idle", partitions,
                    consumers, busy, least == most ? Integer.toString(least) : least + "-" + most, consumers - busy));
        }
        Lesson.say("Partitions are the most consumers one group can use (lesson 03): choose them for the parallelism you");
        Lesson.say("will need, since adding partitions later moves keys to other partitions and breaks their order.");
        Lesson.say("The key picks the partition: user_id keeps each user's events in order (lesson 04). A key with far");
        Lesson.say("more traffic than the others (a hot key) makes one partition, and one consumer, the bottleneck.");
        Lesson.say("In the lake, partition by what queries filter on, with few values: the event's date (not the date of");
        Lesson.say("writing) and a small column like event_type (lessons 06, 09). Too fine (per user, per minute) gives");
        Lesson.say("millions of tiny files, and every query pays for opening them; aim for files of tens of MB or more.");
    }

    static void flushPerMessage(LabConfig lab) throws Exception {
        Lesson.step(4, "Measured: a flush after every message, against batched asynchronous sends");
        LabKafka.probe(lab, Duration.ofSeconds(5));
        String topic = lab.topic("lesson10_" + Instant.now().getEpochSecond());
        LabKafka.ensureTopic(lab, topic, 3);
        Clickstream stream = new Clickstream(10);
        int n = 500;
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(stream.next().toJson());
        }
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.partitionsFor(topic); // metadata first, so neither way pays for it
            long start = System.nanoTime();
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v));
                producer.flush(); // the original's way
            }
            double flushEach = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v));
            }
            producer.flush(); // once, at the end
            double batched = (System.nanoTime() - start) / 1e6;
            Lesson.saw(String.format("%d messages, flush after each: %,.0f ms (%,.0f msg/s)", n, flushEach, n / flushEach * 1000));
            Lesson.saw(String.format("%d messages, batched:          %,.0f ms (%,.0f msg/s)", n, batched, n / batched * 1000));
        }
        Lesson.say("On a local broker the round trip is short; over a real network each flush costs milliseconds more.");
    }

    static void mistakes() {
        Lesson.step(5, "The original project's mistakes, and the tests that show each one");
        int i = 1;
        for (Mistakes.Mistake m : Mistakes.ALL) {
            Lesson.saw(String.format("%d. %s (lesson %s)", i++, m.original(), m.lesson()));
            Lesson.saw("   cost: " + m.cost());
            Lesson.saw("   fix:  " + m.fix());
            for (String test : m.tests()) {
                Lesson.saw("   test: " + test);
            }
            Lesson.saw("   see:  " + m.shownBy());
        }
        Lesson.say("Run one: ./mvnw -B test -Dtest='FlushOrderTest#aCrashInTheMiddleOfTheUploadsLosesNothing'");
        Lesson.say("Make it fail: break the fix in solutions/ (e.g. commit before storing in solutions/06_s3_sink/4_flush_order/FlushOrder.java) and run it again.");
    }
}
