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
        // TODO 03.3.1: the record is processed: the offset the group should commit for its partition, as a new
        //  OffsetAndMetadata(...). A committed offset means "go on from here": this record's offset, or the one after?
        return Todo.todo("03.3", 1, "say which offset to commit once a record is processed");
    }

    @Override
    public void onRevoked(Consumer<String, String> consumer, Map<TopicPartition, OffsetAndMetadata> processed) {
        // TODO 03.3.2: these partitions go to another member (or nowhere: this one is leaving). 'processed' holds what
        //  processed() said after the last record handled in each; the last periodic commit may be 5 s older. Commit
        //  exactly 'processed' now, synchronously, so the next owner starts right after it. (Why not commitSync() with
        //  no arguments? A worker can stop in the middle of a batch.) Then remove the Todo line.
        Todo.todo("03.3", 2, "commit what was processed of the revoked partitions");
    }
}
