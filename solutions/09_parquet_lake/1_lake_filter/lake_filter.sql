-- Exercise 09.1: s3() over the lake, reading only the folders a question needs. Check it: ./jbang course verify 09.1
-- Placeholders (the runner fills them in): {s3_url} {s3_bucket} {music_events} {s3_access_key} {s3_secret_key}
-- and {event_date} (a day, e.g. 2026-11-24).
--
-- The sink's keys look like music_events/event_date=2026-11-24/event_type=track_like/music_events+0+1200.parquet.
-- With hive partitioning (on by default) each name=value folder is a column: event_date (a Date) and event_type.
-- A WHERE on those columns lets ClickHouse skip every other folder's files without opening them; the same filter
-- written on the rows (toDate(event_time) = ...) gives the same answer after reading the whole lake.
-- The question: likes and unlikes on {event_date}, per type, and how many files were read for it.

SELECT event_type,
       count()          AS events,
       uniqExact(_path) AS files
FROM s3('{s3_url}/{s3_bucket}/{music_events}/**/*.parquet', '{s3_access_key}', '{s3_secret_key}', 'Parquet')
WHERE event_date = '{event_date}'                         -- a folder: event_date=...
  AND event_type IN ('track_like', 'track_unlike')        -- a folder too: event_type=...
GROUP BY event_type
ORDER BY event_type;
