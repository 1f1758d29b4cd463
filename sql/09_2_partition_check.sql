-- Lesson 09, step 2: do the folder names agree with the rows inside the files?
--
-- Placeholders as in 09_1_lake.sql. This query reads s3() directly, with use_hive_partitioning = 0: then the
-- event_type column is the file's own value, and _path (the object's key) still says what the folder claims.
-- Any row counted in type_differs or date_differs would be read under the wrong partition by the view of step 1.

SELECT count()                                                                                 AS rows,
       uniqExact(_path)                                                                        AS files,
       countIf(extract(_path, 'event_type=([^/]+)/') != event_type)                            AS type_differs,
       countIf(extract(_path, 'event_date=([^/]+)/') != toString(toDate(event_time, 'UTC')))   AS date_differs
FROM s3('{s3_url}/{s3_bucket}/{music_events}/**/*.parquet', '{s3_access_key}', '{s3_secret_key}', 'Parquet')
SETTINGS use_hive_partitioning = 0;
