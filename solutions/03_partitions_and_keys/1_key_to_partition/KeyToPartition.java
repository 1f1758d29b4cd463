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
        // toPositive drops the sign bit; Math.abs would give another number for every negative hash (and a negative
        // one for Integer.MIN_VALUE), so the record would go to another partition than Kafka's own producer puts it in
        return Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }
}
