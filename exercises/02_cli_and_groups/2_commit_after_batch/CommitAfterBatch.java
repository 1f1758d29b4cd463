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
        // TODO 02.2.1: process every record of the batch: processor.process(record). Then remove the Todo line.
        Todo.todo("02.2", 1, "process every record of the batch");
        // TODO 02.2.2: all processed: commit the group's offsets at the broker now, and wait for its answer. Which
        //  offsets does a commit with no arguments take, and why is that exactly what was just processed? What
        //  would a commit BEFORE the processing loop do when processing throws? Then remove the Todo line.
        Todo.todo("02.2", 2, "commit the batch's offsets after processing it, synchronously");
    }
}
