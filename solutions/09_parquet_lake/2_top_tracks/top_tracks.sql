-- Exercise 09.2, step 1: the top 10 tracks, by plays. Check it: ./jbang course verify 09.2
-- Needs the view music_events_lake (sql/09_1_lake.sql). No placeholders.
--
-- A play is one track_playback event; its track is uuid_track. Ties are broken by the track id, so the answer is
-- the same on every run. Columns: track, plays.

SELECT uuid_track AS track,
       count()    AS plays
FROM music_events_lake
WHERE event_type = 'track_playback'   -- a partition folder: only the track_playback files are read
GROUP BY track
ORDER BY plays DESC, track            -- the track id breaks ties
LIMIT 10;
