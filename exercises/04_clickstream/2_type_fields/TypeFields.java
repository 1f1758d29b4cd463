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
            // TODO 04.2.1: a track from the catalogue as uuid_track, e.g. of(type, user, tsMs, tracks.track(), null, ...)
            case TRACK_PLAYBACK, PAUSE_TRACK, RESUME_TRACK -> Todo.todo("04.2", 1, "give playback, pause and resume their track");
            // TODO 04.2.2: two tracks from the catalogue, the previous one and the current one
            case SKIPPING_TRACK_NEXT, SKIPPING_TRACK_PREV -> Todo.todo("04.2", 2, "give the skips their previous and current track");
            // TODO 04.2.3: a track from the catalogue, and a new playlist id
            case ADDING_TRACK_TO_PLAYLIST -> Todo.todo("04.2", 3, "give adding_track_to_playlist its track and playlist");
            // TODO 04.2.4: no track; the like status, 1 for a like and 0 for an unlike
            case TRACK_LIKE, TRACK_UNLIKE -> Todo.todo("04.2", 4, "give the like and the unlike their status");
        };
    }

    /** An event of the user at the time, with these type-specific fields (null where the type has none). */
    private static MusicEvent of(EventType type, Clickstream.User user, long tsMs, String track, String prev, String current,
                                 String playlist, Integer likeStatus) {
        return new MusicEvent(type, user.id(), user.platformToken(), user.ipv4(), user.country(), track, prev, current,
                playlist, likeStatus, tsMs);
    }
}
