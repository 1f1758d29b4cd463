//SOURCES MusicEventSerde.java
//COMPILE_OPTIONS -encoding UTF-8
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * What the application does with a message that is not a music event: Kafka Streams calls this handler
 * ({@code deserialization.exception.handler}) instead of failing the stream thread. It counts the message and, when
 * the application has a dead-letter topic, writes the original bytes there with lesson 06's headers saying why and
 * from where ({@code dlq.error}, {@code dlq.source.topic/partition/offset}), waits for the acknowledgement, and lets
 * the stream go on (CONTINUE). Nothing is lost and nothing stops.
 *
 * <p>Kafka Streams makes the handler itself from its class name, so the application's counters and dead-letter
 * producer are registered here under the application's instance name ({@link #INSTANCE_CONFIG}). The dead-letter
 * write is not part of the application's transaction: after a crash a bad message may be dead-lettered twice
 * (at least once), which is the usual contract of a dead-letter topic.
 */
public final class DeadLetters implements DeserializationExceptionHandler {
    /** The setting (passed through the Streams configuration) naming the instance whose counter and producer to use. */
    public static final String INSTANCE_CONFIG = "lab.dead.letters.instance";

    /** One application instance's dead-letter counter and, optionally, its producer and topic. */
    public record Sink(AtomicLong count, Producer<byte[], byte[]> producer, String topic) {}

    private static final Map<String, Sink> SINKS = new ConcurrentHashMap<>();

    private Sink sink;

    /** Registers an instance: its counter, and where its dead letters go (producer and topic null: count and skip). */
    public static Sink register(String instance, Producer<byte[], byte[]> producer, String topic) {
        Sink s = new Sink(new AtomicLong(), producer, topic);
        SINKS.put(instance, s);
        return s;
    }

    public static void unregister(String instance) {
        SINKS.remove(instance);
    }

    /** Bad messages of an instance so far (0 for an unknown instance). */
    public static long count(String instance) {
        Sink s = SINKS.get(instance);
        return s == null ? 0 : s.count().get();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object instance = configs.get(INSTANCE_CONFIG);
        sink = instance == null ? null : SINKS.get(instance.toString());
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
        if (sink == null) {
            return DeserializationHandlerResponse.CONTINUE; // no registered instance (e.g. under TopologyTestDriver): skip
        }
        sink.count().incrementAndGet();
        if (sink.producer() != null) {
            ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(sink.topic(), null, record.key(), record.value());
            for (Header h : record.headers()) {
                letter.headers().add(h);
            }
            letter.headers().add("dlq.error", utf8(exception.getMessage()));
            letter.headers().add("dlq.source.topic", utf8(record.topic()));
            letter.headers().add("dlq.source.partition", utf8(Integer.toString(record.partition())));
            letter.headers().add("dlq.source.offset", utf8(Long.toString(record.offset())));
            try {
                // wait for the acknowledgement: a dead letter that is not written would be a message lost
                sink.producer().send(letter).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new StreamsException("could not write a dead letter to " + sink.topic() + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StreamsException("interrupted while writing a dead letter to " + sink.topic(), e);
            }
        }
        return DeserializationHandlerResponse.CONTINUE;
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
