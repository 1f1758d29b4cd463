//SOURCES ../../../lab/lake/SinkRules.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8

/**
 * Exercise 06.3: the deterministic object name.
 *
 * <p>Each object of a batch holds the rows of one partition, one event date and one event type. Its file name (in the
 * folder of exercise 06.2) must depend on nothing but those rows: the topic, the partition, and the Kafka offset of
 * its first row, e.g. {@code music_events+0+1200.parquet} (the shape Kafka Connect's S3 sink uses).
 *
 * <p>Why: the sink stores a batch, then commits its offsets. A crash between the two makes the next run read the same
 * records again and store them again. If the name holds the time of writing or a random id, the second copy lands
 * next to the first: every row twice. If it holds only the data, the second write has the same name: it overwrites
 * the first, and every row is in the lake once. (The engine makes the next run cut its batches where the crashed run
 * did, so "the same rows" is exactly true: lab/lake/ParquetSinkEngine.java says how.)
 *
 * <p>Check it: {@code ./jbang course verify 06.3}
 */
public class ObjectName implements SinkRules.Name {
    @Override
    public String fileName(String topic, int partition, long firstOffset) {
        // only the data: no UUID, no clock. "+" cannot occur in a topic name, so the parts read back unambiguously
        return topic + "+" + partition + "+" + firstOffset + ".parquet";
    }
}
