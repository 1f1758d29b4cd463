//SOURCES ../../../lab/teaching/Todo.java ../../../lab/streams/ClickstreamTopology.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Duration;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SessionWindowedKStream;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.SessionStore;

/**
 * Exercise 11.3 — session windows: how often does a listener skip, per listening session? A session is a user's run
 * of events with no pause longer than {@code gap}; it has no fixed length. Each session adds up its plays
 * (track_playback) and skips (skipping_track_next, skipping_track_prev) into a {@link SkipCounts}, whose rate() is
 * skips per play.
 *
 * Sessions can MERGE: a late event that falls between two sessions of the same user closes the gap, and Kafka
 * Streams then asks you to add two sessions' counts into one. The stream arrives keyed by user already.
 *
 * Check it: ./jbang course verify 11.3
 */
public class SkipRatePerSession implements ClickstreamTopology.SessionSkips {

    @Override
    public KTable<Windowed<String>, SkipCounts> skipsPerSession(KStream<String, MusicEvent> eventsByUser, Duration gap,
                                                                Duration grace,
                                                                Materialized<String, SkipCounts, SessionStore<Bytes, byte[]>> store) {
        KGroupedStream<String, MusicEvent> byUser = eventsByUser
                .filter((user, event) -> isPlay(event) || isSkip(event)) // other events neither open nor extend a session
                .groupByKey(); // already keyed by user: no repartition
        SessionWindowedKStream<String, MusicEvent> sessions = byUser.windowedBy(SessionWindows.ofInactivityGapAndGrace(gap, grace));
        return sessions.aggregate(() -> SkipCounts.NONE,
                (user, event, counts) -> new SkipCounts(counts.plays() + (isPlay(event) ? 1 : 0),
                        counts.skips() + (isSkip(event) ? 1 : 0)),
                // two sessions joined by an event in the gap between them: one session, both counts
                (user, a, b) -> new SkipCounts(a.plays() + b.plays(), a.skips() + b.skips()),
                store);
    }

    static boolean isPlay(MusicEvent event) {
        return event.type() == EventType.TRACK_PLAYBACK;
    }

    static boolean isSkip(MusicEvent event) {
        return event.type() == EventType.SKIPPING_TRACK_NEXT || event.type() == EventType.SKIPPING_TRACK_PREV;
    }
}
