//SOURCES ../../../lab/teaching/Todo.java ../../../lab/streams/MusicEventSerde.java
//COMPILE_OPTIONS -encoding UTF-8
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Exercise 11.1 — event time. Kafka Streams puts every record in a window by the time this extractor returns. By
 * default that is the record's Kafka timestamp: when the producer sent it, or the broker stored it. A music event
 * knows when it HAPPENED ({@code event_timestamp_ms.ts_ms}): a phone that was offline for ten minutes sends its
 * plays late, and they belong to the minutes they were played in, not to the minute they arrived.
 *
 * The value is already a {@link MusicEvent} here (the application's Serde read it); a tombstone has no value.
 *
 * Check it: ./jbang course verify 11.1
 */
public class EventTime implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof MusicEvent event) {
            // TODO 11.1.1: return when the event happened (its ts_ms), not when Kafka got the record
            return Todo.todo("11.1", 1, "return the music event's own time, in epoch milliseconds");
        }
        // TODO 11.1.2: no event (a tombstone), no event time: return the partition's time so far (partitionTime, the
        //              newest time seen on this partition), or the record's Kafka timestamp while that is still -1.
        //              Never a negative time: Kafka Streams would drop the record.
        return Todo.todo("11.1", 2, "return a time for a record that carries no event");
    }
}
