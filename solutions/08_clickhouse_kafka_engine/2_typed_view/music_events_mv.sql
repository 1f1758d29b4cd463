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

CREATE MATERIALIZED VIEW music_events_mv TO music_events AS
SELECT
    fromUnixTimestamp64Milli(JSONExtractInt(raw, 'event_timestamp_ms', 'ts_ms'), 'UTC')  AS event_time,
    toUInt8(JSONExtractUInt(raw, 'event_params', 'event_type_id'))                      AS event_type_id,
    JSONExtractString(raw, 'event_params', 'event_type')                                AS event_type,
    toUUIDOrZero(JSONExtractString(raw, 'event_params', 'user_id'))                     AS user_id,
    if(position(platform_token, ':APA91b') > 0, 'android', 'ios')                      AS platform,  -- Firebase tokens
    JSONExtractString(raw, 'event_params', 'platform_token')                            AS platform_token,
    toIPv4OrDefault(JSONExtractString(raw, 'event_params', 'ipv4'))                     AS ipv4,
    JSONExtractString(raw, 'event_params', 'country')                                   AS country,
    toUUIDOrNull(JSONExtractString(raw, 'event_params', 'uuid_track'))                  AS uuid_track,      -- NULL when
    toUUIDOrNull(JSONExtractString(raw, 'event_params', 'uuid_track_prev'))             AS uuid_track_prev, -- the type
    toUUIDOrNull(JSONExtractString(raw, 'event_params', 'uuid_track_current'))          AS uuid_track_current, -- has
    toUUIDOrNull(JSONExtractString(raw, 'event_params', 'uuid_playlist'))               AS uuid_playlist,   -- no such field
    JSONExtract(raw, 'event_params', 'uuid_track_like_status', 'Nullable(UInt8)')       AS like_status,
    kafka_topic,
    kafka_partition,
    kafka_offset
FROM music_events_raw
WHERE music_event_error(raw) = '';
