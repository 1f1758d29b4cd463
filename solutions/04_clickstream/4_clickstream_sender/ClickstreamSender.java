//SOURCES ../../../lab/kafka/ClickstreamProducer.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Exercise 04.4 — key by user, count failures in the callback, limit the rate.
 *
 * The generator (lab/kafka/ClickstreamProducer) asks you, for every event: which record, how to send it, and how
 * long to wait first. The key picks the partition, and order holds only within one: key each event by its user and
 * one user's events keep their order. send() must not wait for the broker (that is the original's one round trip per
 * event); the broker's answer comes later, in the callback, which counts it. And a generator that can write 200,000
 * events a second needs a brake when a test or a demo wants 50 a second.
 *
 * Check it: ./jbang course verify 04.4
 */
public final class ClickstreamSender implements ClickstreamProducer.Sender {
    @Override
    public ProducerRecord<String, String> record(String topic, MusicEvent event) {
        // the user as the key: all of one user's events land in one partition, in order
        return new ProducerRecord<>(topic, event.userId(), event.toJson());
    }

    @Override
    public void send(Producer<String, String> producer, ProducerRecord<String, String> record, ClickstreamProducer.Counts counts) {
        // no get(), no flush(): the callback runs on the producer's thread when the broker has answered
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                counts.acknowledged();
            } else {
                counts.failed(error);
            }
        });
    }

    @Override
    public long pauseNanos(long sent, double perSecond, long elapsedNanos) {
        if (perSecond <= 0) {
            return 0; // no limit
        }
        // event number n is due n / rate seconds after the start; behind schedule, send at once
        long due = (long) (sent * 1e9 / perSecond);
        return Math.max(0, due - elapsedNanos);
    }
}
