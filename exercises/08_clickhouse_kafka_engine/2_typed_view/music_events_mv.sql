-- Exercise 08.2: the materialized view that turns each valid message of the topic into one typed row of music_events.
-- Check it: ./jbang course verify 08.2
-- Runs after sql/08_4_music_events.sql and the Kafka table (08.1). Placeholders: none.
--
-- It reads music_events_raw, the table the Kafka table hands every message to (sql/08_5_start_consuming.sql): raw is
-- the message, e.g.
--   {"event_params": {"event_type_id": 4, "event_type": "skipping_track_next", "user_id": "...", "platform_token": "...",
--                     "ipv4": "...", "country": "...", "uuid_track_prev": "...", "uuid_track_current": "..."},
--    "event_timestamp_ms": {"ts": 1732470000, "ts_ms": 1732470000123}}
-- and kafka_topic, kafka_partition, kafka_offset say where it came from. The WHERE keeps the valid messages only
-- (music_event_error(raw) = '': the verdict of sql/08_4_music_events.sql); the others go to kafka_errors (08.3).
-- Every function here must cope with any value: one that throws (toUUID('') does) fails the whole block, and the
-- Kafka table stops at it for good. JSONExtract*(raw, 'event_params', 'field') reads a nested field.
--
-- TODO 08.2.1: replace each NULL with the expression that parses the column from raw, then delete this TODO line.
--   Functions: JSONExtractString, JSONExtractInt / JSONExtractUInt, JSONExtract(raw, ..., 'Nullable(UInt8)'),
--   fromUnixTimestamp64Milli(ms, 'UTC'), toUUIDOrZero, toUUIDOrNull (NULL for a field the type does not have),
--   toIPv4OrDefault: the ...OrZero / ...OrNull / ...OrDefault forms never throw.
--   platform is 'android' when the token contains ':APA91b' (a Firebase token), else 'ios'.

CREATE MATERIALIZED VIEW music_events_mv TO music_events AS
SELECT
    NULL AS event_time,          -- DateTime64(3, 'UTC') from event_timestamp_ms.ts_ms
    NULL AS event_type_id,       -- UInt8
    NULL AS event_type,          -- String
    NULL AS user_id,             -- UUID
    NULL AS platform,            -- 'android' or 'ios'
    NULL AS platform_token,      -- String
    NULL AS ipv4,                -- IPv4
    NULL AS country,             -- String
    NULL AS uuid_track,          -- Nullable(UUID)
    NULL AS uuid_track_prev,     -- Nullable(UUID)
    NULL AS uuid_track_current,  -- Nullable(UUID)
    NULL AS uuid_playlist,       -- Nullable(UUID)
    NULL AS like_status,         -- Nullable(UInt8), from uuid_track_like_status
    kafka_topic,
    kafka_partition,
    kafka_offset
FROM music_events_raw
WHERE music_event_error(raw) = '';
