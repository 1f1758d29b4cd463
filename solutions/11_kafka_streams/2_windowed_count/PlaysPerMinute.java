//SOURCES ../../../lab/teaching/Todo.java ../../../lab/streams/ClickstreamTopology.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Duration;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindowedKStream;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Exercise 11.2 — a windowed count: plays per track per minute, kept up to date as events arrive (lesson 09 asks the
 * lake the same question once the files are written).
 *
 * A play is a track_playback event; its track is {@code uuidTrack()}. The stream arrives keyed by user: counting
 * by track needs the events re-keyed by track (Kafka Streams then writes them through a repartition topic, so that
 * all plays of a track meet in one task). The windows are tumbling (back to back, no overlap) and their time is the
 * event time of exercise 11.1. A window stays open {@code grace} after its end for late events; an event later than
 * that is dropped (and counted in the metric dropped-records). The application's default serdes are String keys
 * and MusicEvent values, so grouping needs no serde; {@code store} names the window store and its serdes.
 *
 * Check it: ./jbang course verify 11.2
 */
public class PlaysPerMinute implements ClickstreamTopology.WindowedCount {

    @Override
    public KTable<Windowed<String>, Long> playsPerWindow(KStream<String, MusicEvent> events, Duration size, Duration grace,
                                                         Materialized<String, Long, WindowStore<Bytes, byte[]>> store) {
        KGroupedStream<String, MusicEvent> byTrack = events
                .filter((user, event) -> event.type() == EventType.TRACK_PLAYBACK)
                .groupBy((user, event) -> event.uuidTrack()); // a new key: the plays go through a repartition topic
        // tumbling: one window every `size`, back to back; late events still count until `grace` after its end
        TimeWindowedKStream<String, MusicEvent> perWindow = byTrack.windowedBy(TimeWindows.ofSizeAndGrace(size, grace));
        return perWindow.count(store); // one number per (track, window), in the store and its changelog topic
    }
}
