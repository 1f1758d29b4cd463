//SOURCES ../../../lab/events/Clickstream.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8

/**
 * Exercise 04.2 — the type-specific fields of each of the 8 event types.
 *
 * Every event has its user's fields (user_id, platform_token, ipv4, country); each type adds its own, exactly as the
 * original project's messages have them:
 *   1-3 track_playback, pause_track, resume_track        uuid_track
 *   4-5 skipping_track_next, skipping_track_prev          uuid_track_prev, uuid_track_current
 *   6   adding_track_to_playlist                         uuid_track, uuid_playlist
 *   7-8 track_like, track_unlike                         uuid_track_like_status (1 like, 0 unlike)
 * Tracks come from the catalogue (tracks.track(), popular ones more often); a playlist is new (tracks.newId()).
 * A type's missing field, or a field it does not have, makes the message malformed (lesson 05).
 *
 * Check it: ./jbang course verify 04.2
 */
public final class TypeFields implements Clickstream.Fields {
    @Override
    public MusicEvent event(EventType type, Clickstream.User user, Clickstream.Tracks tracks, long tsMs) {
        return switch (type) {
            case TRACK_PLAYBACK, PAUSE_TRACK, RESUME_TRACK -> of(type, user, tsMs, tracks.track(), null, null, null, null);
            // prev first, then current: the order they were played in
            case SKIPPING_TRACK_NEXT, SKIPPING_TRACK_PREV -> of(type, user, tsMs, null, tracks.track(), tracks.track(), null, null);
            // the track comes from the catalogue; the playlist is the user's own, a new id
            case ADDING_TRACK_TO_PLAYLIST -> of(type, user, tsMs, tracks.track(), null, null, tracks.newId(), null);
            // the status repeats the type, as in the original: 1 like, 0 unlike
            case TRACK_LIKE -> of(type, user, tsMs, null, null, null, null, 1);
            case TRACK_UNLIKE -> of(type, user, tsMs, null, null, null, null, 0);
        };
    }

    /** An event of the user at the time, with these type-specific fields (null where the type has none). */
    private static MusicEvent of(EventType type, Clickstream.User user, long tsMs, String track, String prev, String current,
                                 String playlist, Integer likeStatus) {
        return new MusicEvent(type, user.id(), user.platformToken(), user.ipv4(), user.country(), track, prev, current,
                playlist, likeStatus, tsMs);
    }
}
