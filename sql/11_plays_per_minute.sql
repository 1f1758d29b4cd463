-- Lesson 11: plays per track per minute, by the EVENT's time in UTC: the question lesson 09 asks per hour
-- (exercise 09.2, events_per_hour.sql), per minute, so that it can be checked against Kafka Streams' 1-minute windows.
--
-- Placeholders, filled in by the course's runner (ClickHouse.runFile):
--   {table}  lesson 08's music_events (the Kafka engine's table) or lesson 09's music_events_lake (the Parquet lake),
--            or a subquery of either, e.g. (SELECT * FROM music_events WHERE kafka_topic = 'music_events')
-- The minute is printed as text in ISO-8601, '2026-11-30T10:15:00Z', the start of Kafka Streams' window for it.

SELECT toString(uuid_track)                                                     AS track,
       formatDateTime(toStartOfMinute(event_time), '%Y-%m-%dT%H:%i:00Z', 'UTC') AS minute,
       count()                                                                  AS plays
FROM {table}
WHERE event_type = 'track_playback'
GROUP BY track, minute
ORDER BY minute, plays DESC, track;
