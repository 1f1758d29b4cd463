///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/events/Clickstream.java ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/events/MusicEvent.java
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
 * Run it: {@code ./jbang solutions/04_clickstream/ClickstreamProducer.java [count]}.
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
        // a send succeeds only when every in-sync replica has it
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // retries never duplicate or reorder: the broker drops a batch it has already written
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // wait up to 20 ms to fill a batch: many events per request instead of one request per event
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        // room for ~150 events of ~400 bytes per partition and request
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        // JSON compresses well; lz4 is cheap on CPU, and whole batches compress better than single messages
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // a broker that does not answer fails send() after 10 s instead of blocking for the default 60 s
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        // give up on a record after 30 s of retries (the default is 2 minutes); it must cover linger + one request
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "lesson04-clickstream");
        return props;
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
        return new ProducerRecord<>(topic, event.userId(), event.toJson());
    }

    /** Step 3: sends one record without waiting; the callback counts what the broker acknowledged or refused. */
    static void send(Producer<String, String> producer, ProducerRecord<String, String> record,
                     AtomicLong acknowledged, AtomicLong failed, AtomicReference<Exception> firstFailure) {
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
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
