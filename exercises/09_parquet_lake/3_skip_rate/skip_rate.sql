-- Exercise 09.3: the skip rate per track. Needs the view music_events_lake (sql/09_1_lake.sql); no
-- placeholders. Check it:
--   ./jbang course verify 09.3
--
-- The definition (the test computes the same in Java from the events it produced):
--   plays of a track  = track_playback events whose uuid_track is that track;
--   skips of a track  = skip events (skipping_track_next or skipping_track_prev) whose uuid_track_prev is that
--                       track: the track the listener skipped away from;
--   skip_rate         = skips / plays, rounded to 4 decimals,
-- for tracks with at least 20 plays (a rate over 2 plays says nothing), highest rate first, then most plays, then
-- by track id. Columns: track, skips, plays, skip_rate.
--
-- TODO 09.3.1: write the SELECT below, then delete this TODO line.
--   One pass over music_events_lake is enough: read only the three event types that matter, and group by the track
--   the event is about (uuid_track for a play, uuid_track_prev for a skip: if(...)). countIf(condition) counts the
--   rows of a group where the condition holds; round(x, 4) rounds. Filter on plays AFTER grouping (HAVING, or an
--   outer query's WHERE).

SELECT '' AS track, 0 AS skips, 0 AS plays, 0 AS skip_rate
WHERE 0;
