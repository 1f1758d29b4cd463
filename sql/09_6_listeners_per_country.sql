-- Lesson 09, step 6: listeners per country: how many distinct users played at least one track there.
--
-- uniqExact counts exactly (uniq() would estimate, a little faster; fine for a dashboard, not for a test).
-- Needs the view of 09_1_lake.sql. No placeholders.

SELECT country,
       uniqExact(user_id) AS listeners
FROM music_events_lake
WHERE event_type = 'track_playback'
GROUP BY country
ORDER BY listeners DESC, country;
