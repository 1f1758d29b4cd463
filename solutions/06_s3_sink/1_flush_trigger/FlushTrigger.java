//SOURCES ../../../lab/lake/SinkRules.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8

/**
 * Exercise 06.1: flush a batch by size and by age.
 *
 * <p>Lesson 06's sink keeps one open batch per Kafka partition. After every record it adds, and on every turn of its
 * loop, it asks this trigger whether the batch is due; a due batch is cut, written to S3 (one Parquet object per event
 * date and type) and committed. So the trigger sets the trade-off:
 * <ul>
 *   <li>big batches make few, big files, which is what readers of a lake want (every file costs them a request and a
 *       footer), and they hold more memory until they are written;</li>
 *   <li>memory is a matter of bytes, not records: 10,000 events of 400 bytes are 4 MB, 10,000 of 40 KB are 400 MB;</li>
 *   <li>a quiet topic may never fill a batch: an age limit makes its records land (and be committed) anyway.</li>
 * </ul>
 * The engine (lab/lake/ParquetSinkEngine.java) does the cutting; {@code batch} says what is in the open batch,
 * {@code limits} what the sink was configured with (BATCH_SIZE, a number of bytes, the flush interval).
 *
 * <p>Check it: {@code ./jbang course verify 06.1}
 */
public class FlushTrigger implements SinkRules.Trigger {
    @Override
    public boolean isDue(SinkRules.OpenBatch batch, SinkRules.Limits limits) {
        if (batch.records() >= limits.maxRecords() || batch.bytes() >= limits.maxBytes()) {
            return true; // full, by count (BATCH_SIZE) or by bytes (what bounds the sink's memory)
        }
        return batch.age().compareTo(limits.maxAge()) >= 0; // not full, but its first record has waited long enough
    }
}
