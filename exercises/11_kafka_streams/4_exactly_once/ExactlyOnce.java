//SOURCES ../../../lab/teaching/Todo.java ../../../lab/streams/ClickstreamTopology.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Exercise 11.4 — exactly once, both sides. By default (at_least_once) a crashed instance redoes the work since its
 * last commit: the counts it had already written to its changelog and output topics count those events again.
 * With exactly_once_v2 each commit is one Kafka transaction: the input offsets, the store's changelog and the output
 * records become visible together, or, after a crash, not at all (the transaction is aborted).
 *
 * "Not visible" holds only for readers that ask for it: a consumer reads aborted records too unless it reads
 * committed transactions only. Kafka Streams does this itself for its own input; a reader of the application's
 * output topics must say so.
 *
 * Check it: ./jbang course verify 11.4
 */
public class ExactlyOnce implements ClickstreamTopology.Guarantee {

    @Override
    public void streamsSettings(Properties streams) {
        // TODO 11.4.1: make the application process exactly once (processing.guarantee, in its v2 form)
        Todo.todo("11.4", 1, "set the processing guarantee to exactly-once in streams");
    }

    @Override
    public void readerSettings(Properties consumer) {
        // TODO 11.4.2: make a consumer of the output read committed transactions only (its isolation level)
        Todo.todo("11.4", 2, "set the consumer's isolation level so it never sees aborted records");
    }
}
