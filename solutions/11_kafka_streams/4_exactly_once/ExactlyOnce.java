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
        // one transaction per commit (every 100 ms by default under exactly-once, 30 s under at-least-once)
        streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    }

    @Override
    public void readerSettings(Properties consumer) {
        // skip the records of aborted transactions, and wait for open ones to end
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
}
