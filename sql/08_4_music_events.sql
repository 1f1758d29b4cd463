-- Lesson 08, step 4: music_events, the improved way. This file makes the consumer, the table and the errors view;
-- the materialized view that parses the events is the exercise (exercises/08_clickhouse/music_events_mv.sql,
-- solved in solutions/08_clickhouse/music_events_mv.sql): run it right after this file.
--
-- Placeholders, filled in by the course's runner (ClickHouse.runFile; ./jbang lesson08 does it):
--   {kafka_broker_list}  where ClickHouse finds Kafka: kafka:19092 inside docker compose,
--                        127.0.0.1:9092 for the chDB bridge of `./jbang lab up`
--   {music_events}       the topic (music_events); the consumer group is clickhouse_{music_events}
-- Needs kafka_errors (08_2_kafka_errors.sql).
--
-- A message of lesson 04:
--   {"event_params": {"event_type_id": 4, "event_type": "skipping_track_next", "user_id": "...",
--                     "platform_token": "...", "ipv4": "...", "country": "...",
--                     "uuid_track_prev": "...", "uuid_track_current": "..."},
--    "event_timestamp_ms": {"ts": 1732470000, "ts_ms": 1732470000123}}
-- JSONEachRow reads each top-level field into the column of the same name; a nested object read into a String
-- column arrives as its JSON text (input_format_json_read_objects_as_strings, on by default), which the view parses.

DROP TABLE IF EXISTS music_events_mv;
DROP TABLE IF EXISTS music_events_errors_mv;
DROP TABLE IF EXISTS music_events_queue;
DROP TABLE IF EXISTS music_events;

CREATE TABLE music_events_queue
(
    event_params       String,
    event_timestamp_ms String
) ENGINE = Kafka SETTINGS
    kafka_broker_list = '{kafka_broker_list}',
    kafka_topic_list = '{music_events}',
    kafka_group_name = 'clickhouse_{music_events}',
    kafka_format = 'JSONEachRow',
    kafka_handle_error_mode = 'stream',
    kafka_flush_interval_ms = 500;

-- One row per event, every field typed. The sorting key serves lesson 9's questions: they filter or group by the
-- event type first (top tracks = plays, skip rate = skips vs plays, events per type per hour), then by time.
CREATE TABLE music_events
(
    event_time         DateTime64(3, 'UTC'),
    event_type_id      UInt8,
    event_type         LowCardinality(String),
    user_id            UUID,
    platform           LowCardinality(String),   -- 'android' or 'ios', read off the device token
    platform_token     String,
    ipv4               IPv4,
    country            LowCardinality(String),
    uuid_track         Nullable(UUID),           -- types 1-3 and 6
    uuid_track_prev    Nullable(UUID),           -- types 4-5
    uuid_track_current Nullable(UUID),           -- types 4-5
    uuid_playlist      Nullable(UUID),           -- type 6
    like_status        Nullable(UInt8),          -- types 7-8: 1 like, 0 unlike
    kafka_topic        LowCardinality(String),
    kafka_partition    UInt64,
    kafka_offset       UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_type_id, event_time);

-- Broken messages go to kafka_errors. Create music_events_mv right after this view: a Kafka table starts reading as
-- soon as one view reads from it, and this view alone would consume the good messages and drop them. (Joining the
-- group takes the consumer a second or more, so the next statement is in time.)
-- Two kinds of broken message: one that is not JSON (ClickHouse sets _error and _raw_message), and valid JSON that is
-- not a music event, e.g. {"user": "x"} (JSONEachRow fills the missing columns with ''): a known event_type_id
-- tells them apart. Without this check such a message would reach the typed view, fail there, and block the table.
CREATE MATERIALIZED VIEW music_events_errors_mv TO kafka_errors AS
SELECT _topic AS kafka_topic, _partition AS kafka_partition, _offset AS kafka_offset,
       if(_error != '', _error, 'not a music event: no known event_type_id in event_params') AS error,
       if(_error != '', _raw_message,
          concat('{"event_params":', if(event_params = '', 'null', event_params),
                 ',"event_timestamp_ms":', if(event_timestamp_ms = '', 'null', event_timestamp_ms), '}')) AS raw_message
FROM music_events_queue
WHERE _error != '' OR JSONExtractUInt(event_params, 'event_type_id') NOT BETWEEN 1 AND 8;
