-- Exercise 09.2, step 2: events per type per hour, by the EVENT's time in UTC (not the time the sink wrote the file).
-- Needs the view music_events_lake (sql/09_1_lake.sql). No placeholders. Columns: hour, event_type, events.
--
-- event_time is the file's TIMESTAMP(MILLIS, UTC) column, read as DateTime64(3, 'UTC'). The hour is printed as
-- text, 'YYYY-MM-DD HH:00', so that no client turns it into its own time zone.
--
-- TODO 09.2.2: write the SELECT (toStartOfHour, formatDateTime(..., '%Y-%m-%d %H:00', 'UTC')), then delete this line.

SELECT '' AS hour, '' AS event_type, 0 AS events
WHERE 0;
