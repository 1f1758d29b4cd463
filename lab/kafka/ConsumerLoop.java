//SOURCES ../LabConfig.java ../LabException.java LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The loop of a consumer in a group, the part every such program has: join the group, poll, hand each batch to a
 * {@link BatchStep}, and stop once no new record came for a while. What "handling a batch" means - processing its
 * records and committing - is the step's business, so this loop never commits by itself.
 */
public final class ConsumerLoop {
    /** How long to wait for the group to hand this consumer its partitions before giving up. */
    public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private ConsumerLoop() {}

    /** What to do with one record (a real consumer writes it somewhere). When it throws, the loop stops and rethrows. */
    @FunctionalInterface
    public interface Processor {
        void process(ConsumerRecord<String, String> record) throws Exception;
    }

    /** What to do with one batch that {@code poll()} returned: process its records, and commit. */
    @FunctionalInterface
    public interface BatchStep {
        void handle(Consumer<String, String> consumer, ConsumerRecords<String, String> batch, Processor processor) throws Exception;
    }

    /**
     * Subscribes a consumer made of {@code config} (a group consumer's settings: group.id and String deserializers) to
     * {@code topic}, and hands every non-empty batch to {@code step} with {@code processor}. Returns the number of records
     * handed over once none arrived for {@code idle}, counted from when the group assigned partitions to this consumer.
     * Closing the consumer at the end leaves the group; whatever the step threw is rethrown as it is.
     */
    public static int run(Properties config, String topic, Duration idle, BatchStep step, Processor processor) throws Exception {
        int handed = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            // join the group: its coordinator assigns this consumer partitions, each starting at the group's committed offset
            consumer.subscribe(List.of(topic));
            long joinDeadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
            long lastNewRecordAt = 0;
            boolean assigned = false;
            while (true) {
                ConsumerRecords<String, String> batch = consumer.poll(POLL);
                long now = System.nanoTime();
                if (consumer.assignment().isEmpty()) {
                    if (now > joinDeadline) {
                        throw new LabException("Group '" + config.getProperty("group.id") + "' gave this consumer no partition of '" + topic
                                + "' within " + JOIN_TIMEOUT.toSeconds() + " s. Does the topic exist? (./jbang kafka-topics --bootstrap-server "
                                + config.getProperty("bootstrap.servers") + " --describe --topic " + topic + ")");
                    }
                    continue;
                }
                if (!assigned) { // the idle clock starts when the group has given us partitions
                    assigned = true;
                    lastNewRecordAt = now;
                }
                if (!batch.isEmpty()) {
                    step.handle(consumer, batch, processor);
                    handed += batch.count();
                    lastNewRecordAt = now;
                } else if (now - lastNewRecordAt >= idle.toNanos()) {
                    return handed;
                }
            }
        }
    }
}
