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
        // TODO 04.4.1: a record to 'topic' whose value is event.toJson(), keyed so that all of one user's events land
        //  in one partition and so keep their order.
        return Todo.todo("04.4", 1, "build the record of an event, keyed by its user");
    }

    @Override
    public void send(Producer<String, String> producer, ProducerRecord<String, String> record, ClickstreamProducer.Counts counts) {
        // TODO 04.4.2: producer.send(record, callback) WITHOUT waiting (no get(), no flush()). The callback gets
        //  (metadata, error): no error is counts.acknowledged(); an error is counts.failed(error).
        Todo.todo("04.4", 2, "send without waiting, counting the broker's answers in the callback");
    }

    @Override
    public long pauseNanos(long sent, double perSecond, long elapsedNanos) {
        // TODO 04.4.3: at most perSecond events a second (0 = no limit): event number 'sent' (from 0) is due
        //  sent / perSecond seconds after the start. Wait until then; if the run is already past it, do not wait.
        return Todo.<Long>todo("04.4", 3, "wait as long as the rate says before the next event");
    }
}
