-- Lesson 09, step 5: events per type per hour, by the EVENT's time in UTC (not the time the sink wrote the file).
--
-- event_time is the file's TIMESTAMP(MILLIS, UTC) column, read as DateTime64(3, 'UTC'). The hour is printed as
-- text, 'YYYY-MM-DD HH:00', so that no client turns it into its own time zone.
-- Needs the view of 09_1_lake.sql. No placeholders.

SELECT formatDateTime(toStartOfHour(event_time), '%Y-%m-%d %H:00', 'UTC') AS hour,
       event_type,
       count()                                                             AS events
FROM music_events_lake
GROUP BY hour, event_type
ORDER BY hour, event_type;
