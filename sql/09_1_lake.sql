-- Lesson 09, step 1: ClickHouse reads the Parquet lake of lesson 06 where it lies, in S3, with the s3() table function.
--
-- Placeholders, filled in by the course's runner (ClickHouse.runFile; ./jbang lesson09 does it):
--   {s3_url}         where ClickHouse finds S3: http://minio:9000 inside docker compose (CLICKHOUSE_S3_ENDPOINT
--                    overrides it), the lab's own address (http://127.0.0.1:9000) for the chDB bridge
--   {s3_access_key}  {s3_secret_key}   the S3 keys (minioadmin / minioadmin in the lab)
--   {s3_bucket}      the bucket the sink wrote (clickstream)
--   {music_events}   the topic, which is also the first folder of every object key (music_events)
-- To run it by hand (clickhouse-client, http://127.0.0.1:8123/play), replace them first.
--
-- The sink's keys look like
--   music_events/event_date=2026-11-24/event_type=track_playback/music_events+0+1200.parquet
-- `**` matches any number of folders. With use_hive_partitioning (on by default since ClickHouse 25.x) each
-- `name=value` folder becomes a column: event_date (a Date, inferred from the values) and event_type.
--
-- event_type is ALSO a column inside every file. ClickHouse (checked on 26.7 and 26.8) then keeps one event_type
-- column, with the file's type (String) but the PATH's value: a file under event_type=track_like whose rows say
-- something else would read as track_like, silently. Here both always agree (the sink names each object after its
-- rows, and step 2 checks it); a partition key that repeats a column is fine only as long as that holds.
-- Filtering on a partition column (WHERE event_date = '2026-11-24' AND event_type = 'track_playback') lets
-- ClickHouse skip the other folders' files without opening them.
--
-- A view keeps the s3() call (and its keys) in one place; the questions of the next steps read the view.

CREATE OR REPLACE VIEW music_events_lake AS
SELECT *
FROM s3('{s3_url}/{s3_bucket}/{music_events}/**/*.parquet', '{s3_access_key}', '{s3_secret_key}', 'Parquet');
