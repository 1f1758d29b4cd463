//SOURCES ../events/EventType.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Duration;
import java.time.LocalDate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The parts of lesson 06's sink that the learner writes (exercises 06.1-06.5), as {@link ParquetSinkEngine} calls them.
 * The engine reads, batches, stores, commits, retries and stops cleanly; these rules decide when a batch is cut, where
 * its objects go and what they are called, in which order a batch is made durable, and what a dead letter carries.
 *
 * @param trigger when an open batch is cut (06.1)
 * @param folder  the Hive-style folder of an object (06.2)
 * @param name    the object's file name (06.3)
 * @param order   the order of a flush (06.4)
 * @param letter  the dead letter of a message that does not parse (06.5)
 */
public record SinkRules(Trigger trigger, Folder folder, Name name, Order order, Letter letter) {

    /** 06.1: is the open batch due? Asked after every record added to it, and on every turn of the loop (for its age). */
    public interface Trigger {
        boolean isDue(OpenBatch batch, Limits limits);
    }

    /** What a trigger sees of the open batch of one partition. */
    public interface OpenBatch {
        /** Records read into it (valid ones and dead letters alike). */
        int records();

        /** Their size in bytes, as read from Kafka (keys and values). */
        long bytes();

        /** How long ago its first record was read. */
        Duration age();
    }

    /** What a batch may hold: BATCH_SIZE records, a number of bytes, an age (the sink's options). */
    public record Limits(int maxRecords, long maxBytes, Duration maxAge) {}

    /** 06.2: the folder (no trailing slash) of the objects holding one event date's and type's rows. */
    public interface Folder {
        String folder(String topic, LocalDate eventDate, EventType type);
    }

    /** 06.3: an object's file name in its folder, for the rows of one partition whose first row is at firstOffset. */
    public interface Name {
        String fileName(String topic, int partition, long firstOffset);
    }

    /** 06.4: makes one cut batch durable, in an order that survives a crash between any two of its steps. */
    public interface Order {
        void flush(Flush f);
    }

    /** The steps of a flush; the engine does each of them. */
    public interface Flush {
        /** Writes every object of the batch (one per event date and type), retrying while S3 does not answer. */
        void storeAll();

        /** Waits until Kafka has acknowledged every dead letter of the batch. */
        void awaitDeadLetters();

        /**
         * Commits the batch's end offset, after every earlier batch of its partition: the group will not read these
         * records again. Returns at once; the consumer's own thread sends the commit (a KafkaConsumer has one thread).
         */
        void commit();
    }

    /** 06.5: the record to send to the dead-letter topic for a message that does not parse. */
    public interface Letter {
        ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, String error, String dlqTopic);
    }
}
