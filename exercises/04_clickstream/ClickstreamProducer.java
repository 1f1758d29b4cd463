///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/events/Clickstream.java ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/events/MusicEvent.java ../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lesson 04, the clickstream generator: music events into {@code music_events}, the preferred way
 * (asynchronous sends, batching, compression, idempotence, a key per user) or the original's way
 * (a flush after every message).
 * Your exercise: the three TODOs below. Check them: {@code ./jbang course verify 04};
 * run it: {@code ./jbang exercises/04_clickstream/ClickstreamProducer.java [count]}.
 */
public class ClickstreamProducer {

    /** What to send: {@code count} events (0 = until {@code duration} is over), at most {@code ratePerSecond} (0 = no limit). */
    public record Options(String topic, long count, Duration duration, double ratePerSecond, boolean flushEachMessage) {
        public static Options count(String topic, long count) {
            return new Options(topic, count, Duration.ZERO, 0, false);
        }
    }

    /** What happened: events handed to the producer, acknowledged by the broker, failed, and how long it took. */
    public record Result(long sent, long acknowledged, long failed, long millis) {
        public double perSecond() {
            return millis == 0 ? sent : sent * 1000.0 / millis;
        }
    }

    /** Step 1: the preferred producer settings for a clickstream. */
    static Properties preferredConfig(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "lesson04-clickstream");
        // TODO 04.1: the preferred settings, each with a one-line comment saying why:
        //  - acks=all and idempotence on (retries must neither lose nor duplicate nor reorder events)
        //  - batching: linger.ms (e.g. 20) and batch.size (e.g. 64 KB), compression (lz4 or zstd)
        //  - fail fast when the broker is away: max.block.ms (e.g. 10 s), and a delivery.timeout.ms
        //    (e.g. 30 s) that is at least linger.ms + request.timeout.ms (lower that to e.g. 15 s)
        //  Then return props.
        return Todo.todo("04", 1, "choose the preferred producer settings in preferredConfig()");
    }

    /** The original project's settings: every message is sent and flushed on its own. */
    static Properties originalConfig(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "lesson04-clickstream-original");
        return props;
    }

    /** Step 2: the record for one event: keyed by its user, so one user's events stay in order in one partition. */
    static ProducerRecord<String, String> toRecord(String topic, MusicEvent event) {
        // TODO 04.2: one record per event, to 'topic', value = event.toJson(). Choose the key so that all
        //  events of one user land in one partition and so keep their order.
        return Todo.todo("04", 2, "build the keyed record in toRecord()");
    }

    /** Step 3: sends one record without waiting; the callback counts what the broker acknowledged or refused. */
    static void send(Producer<String, String> producer, ProducerRecord<String, String> record,
                     AtomicLong acknowledged, AtomicLong failed, AtomicReference<Exception> firstFailure) {
        // TODO 04.3: send the record WITHOUT waiting for the broker (no get(), no flush here), with a callback
        //  that increments 'acknowledged' on success, and on error increments 'failed' and keeps the first
        //  error in 'firstFailure'.
        Todo.todo("04", 3, "send asynchronously with a counting callback in send()");
    }

    /** Generates and sends events as the options say; {@code progress} gets a status line about once a second. */
    public static Result run(LabConfig lab, Options options, Clickstream stream, Consumer<String> progress) {
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        Properties config = options.flushEachMessage() ? originalConfig(lab) : preferredConfig(lab);
        long start = System.nanoTime();
        long deadline = options.duration().isZero() ? Long.MAX_VALUE : start + options.duration().toNanos();
        long sent = 0;
        long nextReport = start + 1_000_000_000L;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            // stop at the first failure: the producer has already retried it for delivery.timeout.ms, so it is final
            while ((options.count() == 0 || sent < options.count()) && System.nanoTime() < deadline && firstFailure.get() == null) {
                if (options.ratePerSecond() > 0) {
                    long due = start + (long) (sent * 1e9 / options.ratePerSecond());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                send(producer, toRecord(options.topic(), stream.next()), acknowledged, failed, firstFailure);
                sent++;
                if (options.flushEachMessage()) {
                    producer.flush(); // the original's way: one full round trip per message
                }
                if (System.nanoTime() >= nextReport) {
                    double secs = (System.nanoTime() - start) / 1e9;
                    progress.accept(String.format("sent %,d  (%,.0f events/s)  acknowledged %,d  failed %,d",
                            sent, sent / secs, acknowledged.get(), failed.get()));
                    nextReport += 1_000_000_000L;
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (firstFailure.get() instanceof TimeoutException t && acknowledged.get() == 0) {
            // nothing got through and the client timed out: the broker is not there (or not reachable)
            throw new LabException(lab.howToStartKafka() + "\n  (" + t.getMessage() + ")", t);
        }
        if (firstFailure.get() != null) {
            throw new IllegalStateException("Stopped after " + failed.get() + " failed send(s) of " + sent + ": "
                    + firstFailure.get().getMessage(), firstFailure.get());
        }
        return new Result(sent, acknowledged.get(), failed.get(), millis);
    }

    public static void main(String[] args) {
        long count = args.length > 0 ? Long.parseLong(args[0]) : 10_000;
        LabConfig lab = LabConfig.fromEnvironment();
        try {
            LabKafka.ensureTopic(lab, "music_events", 3);
            Result r = run(lab, Options.count("music_events", count), new Clickstream(42), System.out::println);
            System.out.printf("Sent %,d events to music_events in %,d ms (%,.0f events/s): %,d acknowledged, %,d failed.%n",
                    r.sent(), r.millis(), r.perSecond(), r.acknowledged(), r.failed());
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
