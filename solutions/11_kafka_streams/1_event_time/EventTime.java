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
            return event.tsMs(); // when it happened on the phone, not when Kafka got it
        }
        // no event, no event time: the partition's time so far (the newest event time seen), else Kafka's timestamp.
        // A negative time would make Kafka Streams drop the record.
        return partitionTime >= 0 ? partitionTime : record.timestamp();
    }
}
