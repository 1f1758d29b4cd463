-- Lesson 08, step 1: the original project's ClickHouse models, as the video showed them.
--
-- Placeholders, filled in by the course's runner (ClickHouse.runFile; ./jbang lesson08 does it):
--   {kafka_broker_list}  where ClickHouse finds Kafka: kafka:19092 inside docker compose,
--                        127.0.0.1:9092 for the chDB bridge of `./jbang lab up`
--   {my_topic}           the people topic of lesson 01 (my_topic)
--   {music_events}       the clickstream topic of lesson 04 (music_events)
--   {original_group}     the original's one consumer group for both tables: foo (in a workshop the learner's,
--                        alice.foo: the original's name inside the learner's namespace)
-- To run a file by hand (clickhouse-client, the Play UI at http://127.0.0.1:8123/play), replace them first.
--
-- What to notice (lesson 08 explains each):
--   * both Kafka tables share the consumer group 'foo': it works, but their rebalances are coupled, their lag is
--     mixed in one group, and neither can be monitored or reset alone;
--   * kafka_format = 'JSON': recent ClickHouse (checked on 26.7) reads one plain object per message with it, but
--     JSONEachRow is the format made for "one JSON object per row/message" and the one the Kafka engine's
--     documentation uses; with JSON a reader expects the {"meta":..., "data": [...]} document ClickHouse writes;
--   * every column is a String holding raw JSON: every query re-parses it (JSONExtractInt(event_params, ...));
--   * ORDER BY a random UUID: the sorting key helps no query;
--   * a message that does not parse stops the table for good (the error shows only in system.kafka_consumers).
-- Only kafka_flush_interval_ms was added (the 7.5 s default makes the lab slow), and the group became a placeholder
-- (a room sharing one cluster must not share 'foo'); nothing else was changed.

DROP TABLE IF EXISTS kafka_simple_event_mat_view;
DROP TABLE IF EXISTS kafka_simple_event_consumer;
DROP TABLE IF EXISTS kafka_simple_event_phys_table;

CREATE TABLE kafka_simple_event_consumer
(
    uuid String,
    first_name String,
    last_name String,
    middle_name String,
    timestamp String
) ENGINE = Kafka SETTINGS
    kafka_broker_list = '{kafka_broker_list}',
    kafka_topic_list = '{my_topic}',
    kafka_group_name = '{original_group}',
    kafka_format = 'JSON',
    kafka_flush_interval_ms = 500;

CREATE TABLE kafka_simple_event_phys_table
(
    uuid String,
    first_name String,
    last_name String,
    middle_name String,
    timestamp String
)
ENGINE = MergeTree()
ORDER BY (uuid);

CREATE MATERIALIZED VIEW kafka_simple_event_mat_view TO kafka_simple_event_phys_table
    AS SELECT * FROM kafka_simple_event_consumer;

DROP TABLE IF EXISTS kafka_music_event_mat_view;
DROP TABLE IF EXISTS kafka_music_event_consumer;
DROP TABLE IF EXISTS kafka_music_event_phys_table;

CREATE TABLE kafka_music_event_consumer
(
    event_params String,
    event_timestamp_ms String
) ENGINE = Kafka SETTINGS
    kafka_broker_list = '{kafka_broker_list}',
    kafka_topic_list = '{music_events}',
    kafka_group_name = '{original_group}',
    kafka_format = 'JSON',
    kafka_flush_interval_ms = 500;

CREATE TABLE kafka_music_event_phys_table
(
    event_params String,
    event_timestamp_ms String,
    uuid UUID DEFAULT generateUUIDv4()
)
ENGINE = MergeTree()
ORDER BY (uuid);

CREATE MATERIALIZED VIEW kafka_music_event_mat_view TO kafka_music_event_phys_table
    AS SELECT * FROM kafka_music_event_consumer;
