//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Exercise 01.3: send without waiting for each message, and still know how it went. {@code send()} only queues
 * a record; the broker's answer comes later, to a callback, on the producer's own thread. Count the
 * acknowledgements there, keep the first failure, and wait for all answers once, at the end.
 * Check it: {@code ./jbang course verify 01.3}
 */
public class SendWithCallback {

    /** Sends every value to {@code topic} (no key); returns how many the broker acknowledged, or throws when any failed. */
    public static int sendAll(Producer<String, String> producer, String topic, List<String> values) {
        // the callback runs on the producer's I/O thread: counters it touches must be thread-safe
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        for (String value : values) {
            // no key: the producer spreads the records over the partitions, a batch at a time (lesson 03 adds keys)
            producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                if (error == null) {
                    acknowledged.incrementAndGet();
                } else {
                    firstFailure.compareAndSet(null, error); // the first says most; later ones often follow from it
                }
            });
        }
        // one wait for all the answers, not one per message (lesson 04 measures the difference)
        producer.flush();
        if (firstFailure.get() != null) {
            throw new IllegalStateException((values.size() - acknowledged.get()) + " of " + values.size()
                    + " messages were not written to " + topic + ": " + firstFailure.get().getMessage(), firstFailure.get());
        }
        return acknowledged.get();
    }
}
