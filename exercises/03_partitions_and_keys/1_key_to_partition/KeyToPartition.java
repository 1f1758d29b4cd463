//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * Exercise 03.1: which partition a key goes to. With a key, the producer's default partitioner takes the murmur2
 * hash of the key's bytes, makes it non-negative and takes it modulo the partition count: same key, same
 * partition - for as long as the partition count stays the same. Check it: {@code ./jbang course verify 03.1}
 */
public class KeyToPartition {

    /** The partition Kafka's default partitioner picks for a record with this String key, in a topic of {@code partitions}. */
    public static int partitionFor(String key, int partitions) {
        // the partitioner hashes the serialized key: for a String, its UTF-8 bytes
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        // TODO 03.1.1: the murmur2 hash of keyBytes (Utils.murmur2), made non-negative (Utils.toPositive - why not
        //  Math.abs?), modulo the number of partitions.
        return Todo.todo("03.1", 1, "compute the key's partition: murmur2, made positive, modulo the partition count");
    }
}
