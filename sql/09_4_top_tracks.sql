-- Lesson 09, step 4: the top 10 tracks, by plays.
--
-- A play is one track_playback event; its track is uuid_track. Ties are broken by the track id, so the answer is
-- the same on every run. Filtering on event_type (a partition folder) reads only the track_playback files.
-- Needs the view of 09_1_lake.sql. No placeholders.

SELECT uuid_track AS track,
       count()    AS plays
FROM music_events_lake
WHERE event_type = 'track_playback'
GROUP BY track
ORDER BY plays DESC, track
LIMIT 10;
