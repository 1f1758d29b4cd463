-- Exercise 08.1: the Kafka table, ClickHouse's consumer of music_events. Check it: ./jbang course verify 08.1
-- Runs after sql/08_4_music_events.sql. Placeholders (the runner fills them in): {kafka_broker_list}, {music_events}.
--
-- A Kafka table holds no rows: it is a consumer. A materialized view reading from it gets each block of messages,
-- and the table commits the block's offsets after the views have written it. It starts consuming only when its first
-- view appears (sql/08_5_start_consuming.sql makes it, last). Two settings are yours:
--   * its own consumer group, named after its job (clickhouse_{music_events}): then it can be watched, lagged and
--     reset alone (the original shared 'foo' between two tables: one rebalance moved both, their lag was mixed);
--   * the format. JSONEachRow would parse the JSON here, but it reads no row from `[]` and two rows, with the same
--     offset, from `[{...},{...}]`; RawBLOB hands every message over whole, one row per message, and the views parse.

CREATE TABLE music_events_queue
(
    raw String
) ENGINE = Kafka SETTINGS
    kafka_broker_list = '{kafka_broker_list}',
    kafka_topic_list = '{music_events}',
    kafka_group_name = 'clickhouse_{music_events}',  -- a group of its own: watched, lagged and reset alone
    kafka_format = 'RawBLOB',                         -- one row per message, its bytes untouched
    kafka_flush_interval_ms = 500;
