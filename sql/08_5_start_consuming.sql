-- Lesson 08, step 5: start the stream. Runs last, after sql/08_4_music_events.sql and the three exercises (the Kafka
-- table, the typed view, the errors view).
--
-- Placeholders, filled in by the course's runner (ClickHouse.runFile; ./jbang lesson08 does it):
--   {group_starts}   where the group clickhouse_{music_events} will start reading, one (partition, offset) per
--                    partition, e.g. (0, 1200), (1, 0), (2, 1187): the group's committed offset, or the partition's
--                    first offset when the group has none (KafkaTableStart asks Kafka, as
--                    `kafka-consumer-groups --describe --group clickhouse_music_events` would show it)
-- To run it by hand, write those numbers in yourself.

-- Remembered for the gap finder of sql/08_4: an empty message at the very start of a partition leaves no row, and only
-- Kafka knows the offset a consumer starts from.
INSERT INTO music_events_starts (kafka_partition, first_offset) VALUES {group_starts};

-- The Kafka table's only reader. A Kafka table starts consuming when its first view appears; this one is created
-- when everything it feeds exists (music_events_raw and the two views reading it), so no block can miss a view.
-- Here, and only here, Kafka's virtual columns are read: _topic, _partition and _offset say where each message came
-- from (there are also _key, _timestamp_ms and _headers.name / _headers.value).
CREATE MATERIALIZED VIEW music_events_queue_mv TO music_events_raw AS
SELECT raw,
       _topic     AS kafka_topic,
       _partition AS kafka_partition,
       _offset    AS kafka_offset
FROM music_events_queue;
