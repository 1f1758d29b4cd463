-- Lesson 08, step 4: music_events, the improved way. This file makes what the exercises build on: the verdict on
-- each message (music_event_error), the typed table (music_events), the hand-over table the views read
-- (music_events_raw) and the gap finder. Then, in this order, the three exercises of lesson 08 (solved in
-- solutions/08_clickhouse_kafka_engine/), and last sql/08_5_start_consuming.sql, which starts the stream:
--   1_kafka_table/music_events_queue.sql   the Kafka table: every message as its raw bytes, a group of its own
--   2_typed_view/music_events_mv.sql       the valid ones, parsed into typed rows of music_events
--   3_errors_view/kafka_errors_mv.sql      the others, into kafka_errors with why
--
-- Placeholders, filled in by the course's runner (ClickHouse.runFile; ./jbang lesson08 does it):
--   {music_events}       the topic (music_events); the consumer group is clickhouse_{music_events}
-- Needs kafka_errors (08_2_kafka_errors.sql).
--
-- A message of lesson 04:
--   {"event_params": {"event_type_id": 4, "event_type": "skipping_track_next", "user_id": "...",
--                     "platform_token": "...", "ipv4": "...", "country": "...",
--                     "uuid_track_prev": "...", "uuid_track_current": "..."},
--    "event_timestamp_ms": {"ts": 1732470000, "ts_ms": 1732470000123}}
--
-- Two roads read this topic: lesson 06's sink (Java, MusicEvent.parse) and this one. For every offset each road keeps
-- an event row or an error row, and both call the same offsets valid. So the verdict below is MusicEvent.parse's,
-- rule by rule (lab/events/MusicEvent.java lists them; ClickHouseHostileCorpusTest checks every kind of
-- lab/events/HostileCorpus.java against both): one function, used by both views, so they can never disagree with
-- each other either.

DROP TABLE IF EXISTS music_events_gaps_mv;
DROP TABLE IF EXISTS music_events_queue_mv;
DROP TABLE IF EXISTS music_events_mv;
DROP TABLE IF EXISTS music_events_errors_mv;
DROP TABLE IF EXISTS music_events_queue;
DROP TABLE IF EXISTS music_events_raw;
DROP TABLE IF EXISTS music_events_starts;
DROP TABLE IF EXISTS music_events;

-- Why a raw message is no event ('' for a valid one). Every function here copes with any input: one that throws would
-- fail the whole block and stop the Kafka table for good.
CREATE OR REPLACE FUNCTION music_event_error AS (raw) -> multiIf(
    length(raw) > 65536, 'too large: an event is at most 64 KiB',
    startsWith(raw, '\xEF\xBB\xBF'), 'starts with a byte order mark',
    NOT isValidUTF8(raw), 'not UTF-8 text',
    NOT isValidJSON(raw), 'not JSON (or something after the value)',
    JSONType(raw) != 'Object', concat('wrong shape: expected a JSON object, got ', toString(JSONType(raw))),
    arraySort(JSONExtractKeys(raw)) != ['event_params', 'event_timestamp_ms'],
        'wrong shape: the message must have exactly event_params and event_timestamp_ms, once each',
    JSONType(raw, 'event_params') != 'Object' OR JSONType(raw, 'event_timestamp_ms') != 'Object',
        'wrong shape: event_params and event_timestamp_ms must be objects',
    JSONType(raw, 'event_params', 'event_type_id') NOT IN ('Int64', 'UInt64')
        OR JSONExtractInt(raw, 'event_params', 'event_type_id') NOT BETWEEN 1 AND 8,
        'unknown event type (the service has 1 to 8)',
    JSONType(raw, 'event_params', 'event_type') != 'String'
        OR JSONExtractString(raw, 'event_params', 'event_type') != ['track_playback', 'pause_track', 'resume_track',
            'skipping_track_next', 'skipping_track_prev', 'adding_track_to_playlist', 'track_like', 'track_unlike']
            [JSONExtractInt(raw, 'event_params', 'event_type_id')],
        'event_type does not match event_type_id',
    arraySort(JSONExtractKeys(raw, 'event_params')) != arraySort(arrayConcat(
            ['event_type_id', 'event_type', 'user_id', 'platform_token', 'ipv4', 'country'],
            [['uuid_track'], ['uuid_track'], ['uuid_track'], ['uuid_track_prev', 'uuid_track_current'],
             ['uuid_track_prev', 'uuid_track_current'], ['uuid_track', 'uuid_playlist'], ['uuid_track_like_status'],
             ['uuid_track_like_status']][JSONExtractInt(raw, 'event_params', 'event_type_id')])),
        'event_params must have exactly the common fields and its type''s own, once each',
    arrayExists(f -> JSONType(raw, 'event_params', f) != 'String'
            OR NOT match(JSONExtractString(raw, 'event_params', f), '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
            OR JSONExtractString(raw, 'event_params', f) = '00000000-0000-0000-0000-000000000000',
        arrayFilter(f -> f = 'user_id' OR startsWith(f, 'uuid_') AND f != 'uuid_track_like_status', JSONExtractKeys(raw, 'event_params'))),
        'user_id and every uuid_* must be a lower-case UUID, not the nil one',
    JSONType(raw, 'event_params', 'platform_token') != 'String'
        OR NOT match(JSONExtractString(raw, 'event_params', 'platform_token'), '^[A-Za-z0-9:_-]{1,512}$'),
        'platform_token must be 1-512 letters, digits, '':'', ''_'' or ''-''',
    JSONType(raw, 'event_params', 'ipv4') != 'String'
        OR NOT match(JSONExtractString(raw, 'event_params', 'ipv4'),
            '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$'),
        'ipv4 must be four numbers 0-255',
    JSONType(raw, 'event_params', 'country') != 'String'
        OR lengthUTF8(JSONExtractString(raw, 'event_params', 'country')) NOT BETWEEN 1 AND 64
        OR match(JSONExtractString(raw, 'event_params', 'country'), '^[\\s\\p{Z}]*$')
        OR match(JSONExtractString(raw, 'event_params', 'country'), '[\\x{00}-\\x{1f}\\x{7f}-\\x{9f}]'),
        'country must be 1-64 characters, not blank, no control characters',
    JSONExtractInt(raw, 'event_params', 'event_type_id') IN (7, 8)
        AND (JSONType(raw, 'event_params', 'uuid_track_like_status') != 'Int64'
            OR JSONExtractInt(raw, 'event_params', 'uuid_track_like_status') != if(JSONExtractInt(raw, 'event_params', 'event_type_id') = 7, 1, 0)),
        'uuid_track_like_status must be 1 for track_like and 0 for track_unlike',
    arraySort(JSONExtractKeys(raw, 'event_timestamp_ms')) != ['ts', 'ts_ms']
        OR JSONType(raw, 'event_timestamp_ms', 'ts') != 'Int64' OR JSONType(raw, 'event_timestamp_ms', 'ts_ms') != 'Int64',
        'event_timestamp_ms must have exactly ts and ts_ms, whole numbers that fit 64 bits',
    JSONExtractInt(raw, 'event_timestamp_ms', 'ts_ms') NOT BETWEEN 946684800000 AND 4102444799999,
        'event time outside 2000-01-01 .. 2099-12-31 UTC',
    JSONExtractInt(raw, 'event_timestamp_ms', 'ts') != intDiv(JSONExtractInt(raw, 'event_timestamp_ms', 'ts_ms'), 1000),
        'ts is not ts_ms in whole seconds',
    '');

-- One row per event, every field typed. The sorting key serves lesson 9's questions: they filter or group by the
-- event type first (top tracks = plays, skip rate = skips vs plays, events per type per hour), then by time.
-- Partitioned by year, not month: one Kafka block may hold events of any time a valid event may have (2000-2099), and
-- an insert touching more than max_partitions_per_insert_block (100) partitions fails the whole block and stops the
-- stream. By month a block could touch 1,200; by year at most 100.
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
    kafka_offset       UInt64,
    ingested_at        DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYear(event_time)
ORDER BY (event_type_id, event_time);

-- Every message of the topic as the Kafka table hands it over, with where it came from. A Null table stores nothing:
-- each block inserted into it goes to the views that read it (the typed view of 08.2 and the errors view of 08.3) and
-- is gone. Why not let those views read the Kafka table directly? A Kafka table starts consuming as soon as ONE view
-- reads it, and each block goes only to the views that exist when its reading starts: created one after the other,
-- the first view could get the first block alone, and the messages the other view should have kept would be lost.
-- So the Kafka table gets exactly one view, music_events_queue_mv (sql/08_5_start_consuming.sql), created last, when
-- both views below it exist: whatever it reads reaches both.
CREATE TABLE music_events_raw
(
    raw             String,
    kafka_topic     LowCardinality(String),
    kafka_partition UInt64,
    kafka_offset    UInt64
)
ENGINE = Null;

-- Where the consumer group clickhouse_{music_events} starts reading each partition: its committed offset, or the
-- partition's first offset for a group that never committed (what `kafka-consumer-groups --describe` shows).
-- sql/08_5_start_consuming.sql fills it in, just before the stream starts. The gap finder below needs it: ClickHouse
-- itself never learns where its consumer started.
CREATE TABLE music_events_starts
(
    kafka_partition UInt64,
    first_offset    UInt64,
    recorded_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY kafka_partition;

-- The Kafka engine reads no row from an empty message or a tombstone (a record without a value), and skips it: no view
-- ever sees it. So every second this view looks, per partition, for offsets from where the group started to where
-- the consumer is now that neither table has, and records each in kafka_errors, once.
-- "Where the consumer is now": system.kafka_consumers shows its position (the next offset it will read), and whether
-- it is busy with a block. Read only while it is NOT busy (is_currently_used = 0): a block is read, written by the
-- views and committed before the consumer is released, so every message before that position has its row by then.
-- The position is read in a scalar subquery, which ClickHouse runs before the query reads any table; rows a later
-- block writes meanwhile lie at or after that position and are left out. So a gap is recorded only when it is one,
-- at the start of a partition, between two rows, or at its end, and never twice.
-- Rows of earlier runs of this lesson (kafka_errors keeps them) are left out: only rows since the start was recorded.
-- It runs about once a second, at random moments (RANDOMIZE FOR): the Kafka table also works in one-second steps, and a
-- view refreshed EVERY 1 SECOND met it busy every time, in step with it.
CREATE MATERIALIZED VIEW music_events_gaps_mv REFRESH AFTER 1 SECOND RANDOMIZE FOR 1 SECOND APPEND TO kafka_errors AS
WITH
    (SELECT groupArray((toUInt64(p), toInt64(o))) FROM system.kafka_consumers
        ARRAY JOIN assignments.topic AS t, assignments.partition_id AS p, assignments.current_offset AS o
        WHERE database = currentDatabase() AND table = 'music_events_queue' AND is_currently_used = 0
          AND t = '{music_events}' AND o >= 0)                                               AS positions,
    (SELECT min(recorded_at) FROM music_events_starts)                                        AS since
SELECT '{music_events}'                                                                       AS kafka_topic,
       p                                                                                      AS kafka_partition,
       toUInt64(arrayJoin(range(o + 1, next)))                                                AS kafka_offset,
       'no row: an empty message or a tombstone (the Kafka engine reads nothing from it)'    AS error,
       ''                                                                                     AS raw_message
FROM
(
    SELECT p, o, leadInFrame(o, 1, o + 1) OVER (PARTITION BY p ORDER BY o ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS next
    FROM
    (
        SELECT s.p AS p, v.o AS o
        FROM
        (
            -- what has a verdict already
            SELECT kafka_partition AS p, toInt64(kafka_offset) AS o FROM music_events WHERE kafka_topic = '{music_events}'
            UNION ALL
            SELECT kafka_partition, toInt64(kafka_offset) FROM kafka_errors WHERE kafka_topic = '{music_events}' AND received_at >= since
            UNION ALL
            -- the offset before the first one the group reads, and the position: the edges, as if they had a verdict
            SELECT kafka_partition, toInt64(first_offset) - 1 FROM music_events_starts
            UNION ALL
            SELECT tupleElement(x, 1), tupleElement(x, 2) FROM (SELECT arrayJoin(positions) AS x)
        ) AS v
        INNER JOIN
        (
            SELECT kafka_partition AS p, toInt64(first_offset) AS first, tupleElement(x, 2) AS position
            FROM music_events_starts ARRAY JOIN positions AS x
            WHERE tupleElement(x, 1) = kafka_partition
        ) AS s ON v.p = s.p
        WHERE v.o >= s.first - 1 AND v.o <= s.position
    )
)
WHERE next > o + 1;
