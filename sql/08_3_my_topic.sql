-- Lesson 08, step 3: my_topic, the improved way: Kafka table -> materialized views -> MergeTree.
--
-- Placeholders, filled in by the course's runner (ClickHouse.runFile; ./jbang lesson08 does it):
--   {kafka_broker_list}  where ClickHouse finds Kafka: kafka:19092 inside docker compose,
--                        127.0.0.1:9092 for the chDB bridge of `./jbang lab up`
--   {my_topic}           the topic (my_topic); the consumer group is clickhouse_{my_topic}
-- Needs kafka_errors (08_2_kafka_errors.sql).
--
-- Compared with step 1:
--   * kafka_format = 'JSONEachRow': the format for one JSON object per message;
--   * a consumer group of its own, named after the table's job: it can be watched, lagged and reset alone;
--   * typed columns: UUID, and the ISO-8601 text as DateTime64 (parsed once, on the way in);
--   * Kafka's virtual columns kept: where each row came from (_topic, _partition, _offset);
--   * kafka_handle_error_mode = 'stream': a broken message goes to kafka_errors, and the stream goes on;
--   * the Kafka table has one view, made last, that hands each block to the two views behind it (a Null table
--     between them): no block is consumed before both exist;
--   * ORDER BY uuid is now a useful key: lesson 01 writes UUIDv7, whose first bits are the creation time.

DROP TABLE IF EXISTS my_topic_queue_mv;
DROP TABLE IF EXISTS people_mv;
DROP TABLE IF EXISTS people_errors_mv;
DROP TABLE IF EXISTS my_topic_queue;
DROP TABLE IF EXISTS people_raw;
DROP TABLE IF EXISTS people;

-- The consumer: reads the topic; the columns are the message's fields, as text. Reading it directly (SELECT)
-- would consume messages, so only a materialized view reads it.
CREATE TABLE my_topic_queue
(
    uuid        String,
    first_name  String,
    last_name   String,
    middle_name String,
    timestamp   String
) ENGINE = Kafka SETTINGS
    kafka_broker_list = '{kafka_broker_list}',
    kafka_topic_list = '{my_topic}',
    kafka_group_name = 'clickhouse_{my_topic}',
    kafka_format = 'JSONEachRow',
    kafka_handle_error_mode = 'stream',
    kafka_flush_interval_ms = 500;

-- The storage: typed columns, plus where each row came from.
CREATE TABLE people
(
    uuid            UUID,
    first_name      String,
    last_name       String,
    middle_name     String,
    created_at      DateTime64(6, 'UTC'),
    kafka_topic     LowCardinality(String),
    kafka_partition UInt64,
    kafka_offset    UInt64
)
ENGINE = MergeTree
ORDER BY uuid;

-- Every message as the Kafka table hands it over, with where it came from and, for a broken one, why and its bytes.
-- A Null table stores nothing: each block goes on to the two views below and is gone. The Kafka table starts consuming
-- as soon as one view reads it, and a block goes only to the views that exist when its reading starts; so the Kafka
-- table gets one view only, created last (my_topic_queue_mv), and the two views read this table instead: whatever is
-- consumed reaches both.
CREATE TABLE people_raw
(
    uuid            String,
    first_name      String,
    last_name       String,
    middle_name     String,
    timestamp       String,
    kafka_topic     LowCardinality(String),
    kafka_partition UInt64,
    kafka_offset    UInt64,
    parse_error     String,   -- why it did not parse (Kafka's _error), '' for a good one
    raw             String    -- a broken message's bytes (Kafka's _raw_message)
)
ENGINE = Null;

-- Broken: not JSON (parse_error is set), or JSON without a valid uuid (e.g. {"name": "x"}: missing fields arrive as '').
CREATE MATERIALIZED VIEW people_errors_mv TO kafka_errors AS
SELECT kafka_topic, kafka_partition, kafka_offset,
       if(parse_error != '', parse_error, 'not a person: no valid "uuid"') AS error,
       if(parse_error != '', raw, concat('uuid=', uuid, ' first_name=', first_name, ' timestamp=', timestamp)) AS raw_message
FROM people_raw
WHERE parse_error != '' OR toUUIDOrNull(uuid) IS NULL;

-- The good ones, parsed once into types, with functions that never throw (one that throws fails the whole block and
-- stops the table for good).
CREATE MATERIALIZED VIEW people_mv TO people AS
SELECT toUUIDOrZero(uuid)                                    AS uuid,
       first_name,
       last_name,
       middle_name,
       parseDateTime64BestEffortOrZero(timestamp, 6, 'UTC') AS created_at,
       kafka_topic,
       kafka_partition,
       kafka_offset
FROM people_raw
-- people_raw.uuid: the column (text); a bare uuid here would be the alias above, already a UUID
WHERE parse_error = '' AND toUUIDOrNull(people_raw.uuid) IS NOT NULL;

-- Last, the Kafka table's one view: consuming starts now. Kafka's virtual columns say where each message came from
-- (_topic, _partition, _offset) and, in stream mode, why it did not parse (_error, empty for a good one) and its bytes
-- (_raw_message).
CREATE MATERIALIZED VIEW my_topic_queue_mv TO people_raw AS
SELECT uuid, first_name, last_name, middle_name, timestamp,
       _topic AS kafka_topic, _partition AS kafka_partition, _offset AS kafka_offset,
       _error AS parse_error, _raw_message AS raw
FROM my_topic_queue;
