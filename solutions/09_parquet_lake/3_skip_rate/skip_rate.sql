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

SELECT track, skips, plays, round(skips / plays, 4) AS skip_rate
FROM
(
    SELECT if(event_type = 'track_playback', uuid_track, uuid_track_prev)              AS track,
           countIf(event_type IN ('skipping_track_next', 'skipping_track_prev'))       AS skips,
           countIf(event_type = 'track_playback')                                      AS plays
    FROM music_events_lake
    WHERE event_type IN ('track_playback', 'skipping_track_next', 'skipping_track_prev')
    GROUP BY track
)
WHERE plays >= 20
ORDER BY skip_rate DESC, plays DESC, track;
