//SOURCES ../LabConfig.java ../LabException.java LabKafka.java ../events/Clickstream.java ../events/MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
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
 * Lesson 04's generator loop: events of a {@link Clickstream} into a topic, for a count or a duration, at most at a
 * rate, reporting progress about once a second, stopping at the first failed send. What the producer is tuned with
 * (exercise 04.3) and how each event is keyed, sent and paced (a {@link Sender}, exercise 04.4) are handed in:
 * <pre>
 *   ClickstreamProducer.run(lab, PreferredSettings.preferred(), new ClickstreamSender(),
 *           ClickstreamProducer.Options.count("music_events", 10_000), new Clickstream(42), System.out::println);
 * </pre>
 */
public final class ClickstreamProducer {
    private ClickstreamProducer() {}

    /** How one event becomes a record, is sent, and how long to wait before the next one. */
    public interface Sender {
        /** The record of one event. */
        ProducerRecord<String, String> record(String topic, MusicEvent event);

        /** Sends without waiting for the broker; the outcome reaches {@code counts} through the send's callback. */
        void send(Producer<String, String> producer, ProducerRecord<String, String> record, Counts counts);

        /** Nanoseconds to wait before the event numbered {@code sent} (from 0), {@code elapsedNanos} into the run, to stay at {@code perSecond} (0: no limit). */
        long pauseNanos(long sent, double perSecond, long elapsedNanos);
    }

    /** What the broker answered so far; safe to call from the producer's callback thread. */
    public static final class Counts {
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

        /** The broker has the record. */
        public void acknowledged() {
            acknowledged.incrementAndGet();
        }

        /** The record is lost for good (the producer has retried it for delivery.timeout.ms); the first failure is kept. */
        public void failed(Exception error) {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, error);
        }

        public long acknowledgedCount() {
            return acknowledged.get();
        }

        public long failedCount() {
            return failed.get();
        }

        public Exception firstFailure() {
            return firstFailure.get();
        }
    }

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

    /** The original project's settings: nothing tuned (it flushed after every message); a broker away fails in 10 s, not 60. */
    public static Properties originalSettings() {
        Properties props = new Properties();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return props;
    }

    /** The producer's whole configuration: the lab's servers, String keys and values, then {@code settings}. */
    public static Properties config(LabConfig lab, Properties settings) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "clickstream-generator");
        props.putAll(settings);
        return props;
    }

    /** A setting's value in {@code settings}, or the producer's default when it is not set there (e.g. linger.ms: 5). */
    public static String setting(Properties settings, String name) {
        Object value = settings.get(name);
        if (value == null) {
            value = ProducerConfig.configDef().defaultValues().get(name);
        }
        return value == null ? null : value.toString();
    }

    /** Generates and sends events as the options say; {@code progress} gets a status line about once a second. */
    public static Result run(LabConfig lab, Properties settings, Sender sender, Options options, Clickstream stream, Consumer<String> progress) {
        Counts counts = new Counts();
        long start = System.nanoTime();
        long deadline = options.duration().isZero() ? Long.MAX_VALUE : start + options.duration().toNanos();
        long sent = 0;
        long nextReport = start + 1_000_000_000L;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config(lab, settings))) {
            // stop at the first failure: the producer has already retried it for delivery.timeout.ms, so it is final
            while ((options.count() == 0 || sent < options.count()) && System.nanoTime() < deadline && counts.firstFailure() == null) {
                sender.send(producer, sender.record(options.topic(), stream.next()), counts);
                sent++;
                if (options.flushEachMessage()) {
                    producer.flush(); // the original's way: one full round trip per message
                }
                if (options.count() == 0 || sent < options.count()) {
                    long pause = sender.pauseNanos(sent, options.ratePerSecond(), System.nanoTime() - start);
                    if (pause > 0) {
                        Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
                    }
                }
                if (System.nanoTime() >= nextReport) {
                    double secs = (System.nanoTime() - start) / 1e9;
                    progress.accept(String.format("sent %,d  (%,.0f events/s)  acknowledged %,d  failed %,d",
                            sent, sent / secs, counts.acknowledgedCount(), counts.failedCount()));
                    nextReport += 1_000_000_000L;
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Exception failure = counts.firstFailure();
        if (failure instanceof TimeoutException t && counts.acknowledgedCount() == 0) {
            // nothing got through and the client timed out: the broker is not there (or not reachable)
            throw new LabException(lab.howToStartKafka() + "\n  (" + t.getMessage() + ")", t);
        }
        if (failure != null) {
            throw new IllegalStateException("Stopped after " + counts.failedCount() + " failed send(s) of " + sent + ": "
                    + failure.getMessage(), failure);
        }
        return new Result(sent, counts.acknowledgedCount(), counts.failedCount(), millis);
    }
}
