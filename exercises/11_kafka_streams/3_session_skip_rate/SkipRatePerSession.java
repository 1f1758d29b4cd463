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
        // TODO 11.3.1: keep the plays and the skips (isPlay, isSkip below) and group them by user: the key they have
        KGroupedStream<String, MusicEvent> byUser = Todo.todo("11.3", 1, "filter plays and skips, group them by their key");
        // TODO 11.3.2: session windows: a session ends after `gap` with no event; late events are accepted for `grace`
        SessionWindowedKStream<String, MusicEvent> sessions = Todo.todo("11.3", 2, "window byUser in sessions");
        // TODO 11.3.3: aggregate each session into `store`: start from SkipCounts.NONE, add one play or one skip per
        //              event, and merge two sessions into one by adding their counts
        return Todo.todo("11.3", 3, "aggregate the sessions: initializer, aggregator, merger");
    }

    static boolean isPlay(MusicEvent event) {
        return event.type() == EventType.TRACK_PLAYBACK;
    }

    static boolean isSkip(MusicEvent event) {
        return event.type() == EventType.SKIPPING_TRACK_NEXT || event.type() == EventType.SKIPPING_TRACK_PREV;
    }
}
