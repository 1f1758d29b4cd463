-- Lesson 08, the exercise: the materialized view that turns each good message of music_events_queue into one typed
-- row of music_events. Run after sql/08_4_music_events.sql; no placeholders. Check it:
--   ./mvnw -B -Pexercises test -Dtest=Lesson08ClickHouseKafkaEngineTest
-- The view reads only the good messages (the WHERE clause); the broken ones go to kafka_errors
-- (music_events_errors_mv). Every function here must cope with any value a good-looking message may carry: one that
-- throws (toUUID('') does) fails the whole block, and the Kafka table stops at it for good.
--
-- music_events_queue has two String columns holding the message's JSON objects:
--   event_params        {"event_type_id": 4, "event_type": "skipping_track_next", "user_id": "...", "platform_token": "...",
--                        "ipv4": "...", "country": "...", "uuid_track_prev": "...", "uuid_track_current": "..."}
--   event_timestamp_ms  {"ts": 1732470000, "ts_ms": 1732470000123}
-- and Kafka's virtual columns _topic, _partition, _offset (plus _error and _raw_message in stream mode).
-- music_events' columns are listed below with their types (see sql/08_4_music_events.sql).
--
-- TODO 08.1: replace each NULL with the expression that parses the column from the JSON, then delete this TODO line.
--   Functions you need: JSONExtractString, JSONExtractInt / JSONExtractUInt, JSONExtract(json, key, 'Nullable(UInt8)'),
--   fromUnixTimestamp64Milli(ms, 'UTC'), toUUIDOrZero, toUUIDOrNull (NULL for a field the event type does not have),
--   toIPv4OrDefault. Use the ...OrZero / ...OrNull / ...OrDefault forms: they never throw.
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
    _topic     AS kafka_topic,
    _partition AS kafka_partition,
    _offset    AS kafka_offset
FROM music_events_queue
WHERE _error = '' AND JSONExtractUInt(event_params, 'event_type_id') BETWEEN 1 AND 8;
