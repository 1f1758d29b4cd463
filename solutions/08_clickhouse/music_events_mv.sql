-- Lesson 08, the exercise: the materialized view that turns each good message of music_events_queue into one typed
-- row of music_events. Run after sql/08_4_music_events.sql; no placeholders. Check it:
--   ./mvnw -B -Pexercises test -Dtest=Lesson08ClickHouseKafkaEngineTest
-- The view reads only the good messages (the WHERE clause); the broken ones go to kafka_errors
-- (music_events_errors_mv). Every function here must cope with any value a good-looking message may carry: one that
-- throws (toUUID('') does) fails the whole block, and the Kafka table stops at it for good.

CREATE MATERIALIZED VIEW music_events_mv TO music_events AS
SELECT
    fromUnixTimestamp64Milli(JSONExtractInt(event_timestamp_ms, 'ts_ms'), 'UTC') AS event_time,
    toUInt8(JSONExtractUInt(event_params, 'event_type_id'))                     AS event_type_id,
    JSONExtractString(event_params, 'event_type')                               AS event_type,
    toUUIDOrZero(JSONExtractString(event_params, 'user_id'))                    AS user_id,
    if(position(platform_token, ':APA91b') > 0, 'android', 'ios')              AS platform,
    JSONExtractString(event_params, 'platform_token')                           AS platform_token,
    toIPv4OrDefault(JSONExtractString(event_params, 'ipv4'))                    AS ipv4,
    JSONExtractString(event_params, 'country')                                  AS country,
    toUUIDOrNull(JSONExtractString(event_params, 'uuid_track'))                 AS uuid_track,
    toUUIDOrNull(JSONExtractString(event_params, 'uuid_track_prev'))            AS uuid_track_prev,
    toUUIDOrNull(JSONExtractString(event_params, 'uuid_track_current'))         AS uuid_track_current,
    toUUIDOrNull(JSONExtractString(event_params, 'uuid_playlist'))              AS uuid_playlist,
    JSONExtract(event_params, 'uuid_track_like_status', 'Nullable(UInt8)')      AS like_status,
    _topic                                                                      AS kafka_topic,
    _partition                                                                  AS kafka_partition,
    _offset                                                                     AS kafka_offset
FROM music_events_queue
WHERE _error = '' AND JSONExtractUInt(event_params, 'event_type_id') BETWEEN 1 AND 8;
