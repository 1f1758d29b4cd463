-- Exercise 09.2, step 1: the top 10 tracks, by plays. Check it: ./jbang course verify 09.2
-- Needs the view music_events_lake (sql/09_1_lake.sql). No placeholders.
--
-- A play is one track_playback event; its track is uuid_track. Ties are broken by the track id, so the answer is
-- the same on every run. Columns: track, plays.
--
-- TODO 09.2.1: write the SELECT (filter the plays, group by track, order, limit), then delete this TODO line.

SELECT '' AS track, 0 AS plays
WHERE 0;
