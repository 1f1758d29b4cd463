//SOURCES ../../../lab/kafka/GroupWorker.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Exercise 03.3: on revoke, commit only what was processed. A group member (lab/kafka/GroupWorker.java) commits every
 * 5 s; when a rebalance takes partitions away, or the member leaves, what it processed since its last commit must be
 * committed right then - or the next owner processes it again. And only what was processed: a member can stop in
 * the middle of a batch, and the rest of that batch is the next owner's. Check it: {@code ./jbang course verify 03.3}
 */
public class CommitOnRevoke implements GroupWorker.Commits {

    @Override
    public OffsetAndMetadata processed(ConsumerRecord<String, String> record) {
        // a committed offset means "go on from here": the next record to read is the one after this (hence + 1)
        return new OffsetAndMetadata(record.offset() + 1);
    }

    @Override
    public void onRevoked(Consumer<String, String> consumer, Map<TopicPartition, OffsetAndMetadata> processed) {
        if (!processed.isEmpty()) {
            // commit exactly what was processed of the revoked partitions, and wait for it, before the rebalance goes on:
            // the next owner starts right there. Not consumer.commitSync() with no arguments: that commits what poll()
            // returned, processed or not
            consumer.commitSync(processed);
        }
    }
}
