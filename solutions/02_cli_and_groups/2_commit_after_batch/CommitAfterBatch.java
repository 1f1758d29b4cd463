//SOURCES ../../../lab/kafka/ConsumerLoop.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Exercise 02.2: commit after processing a batch. A group consumer's loop (lab/kafka/ConsumerLoop.java) polls
 * and hands each batch here; this step decides when the group's offsets move at the broker. Committed means
 * "the group is done up to here": commit only what was processed, so a crash re-reads, never skips.
 * Check it: {@code ./jbang course verify 02.2}
 */
public class CommitAfterBatch implements ConsumerLoop.BatchStep {

    @Override
    public void handle(Consumer<String, String> consumer, ConsumerRecords<String, String> batch,
                       ConsumerLoop.Processor processor) throws Exception {
        for (ConsumerRecord<String, String> record : batch) {
            processor.process(record); // when this throws, we leave before the commit: the batch will be read again
        }
        // every record is processed: now record that at the broker, and wait for its answer. With no arguments,
        // commitSync() commits, per assigned partition, the position after the last record poll() returned:
        // exactly what we just processed
        consumer.commitSync();
    }
}
