//SOURCES ../../../lab/events/MusicEvent.java ../../../lab/events/StrictJson.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Exercise 05.1 — a strict parse: what makes a message malformed.
 *
 * A reader that guesses (a missing field becomes null, 4294967297 is cut to 1, an unknown field is dropped) turns
 * bad messages into wrong events that nobody notices. A strict parse says "malformed, because ..." instead.
 * lab/events/StrictJson already reads the bytes as exactly one JSON object (UTF-8, no duplicate keys, nothing after
 * it) and has readers that never cut a number or default a field. You decide what an event is: its type, its
 * fields, its time. Your parse is judged by the hostile corpus (lab/events/HostileCorpus): every kind of message,
 * each with the verdict it must get.
 *
 * Check it: ./jbang course verify 05.1
 */
public final class StrictParse {
    private StrictParse() {}

    public static MusicEvent parse(byte[] value) throws MalformedEventException {
        JsonNode root = StrictJson.object(value, MusicEvent.MAX_BYTES);
        StrictJson.exactly(root, "the message", List.of("event_params", "event_timestamp_ms"));
        JsonNode params = StrictJson.object(root, "event_params");
        JsonNode time = StrictJson.object(root, "event_timestamp_ms");

        // int32 refuses 4294967297 instead of cutting it to 1 (track_playback)
        int id = StrictJson.int32(params, "event_type_id");
        EventType type = EventType.byId(id);
        if (type == null) {
            throw new MalformedEventException("unknown event type " + id);
        }
        // the name must agree with the id: which one would we believe otherwise?
        if (!StrictJson.text(params, "event_type").equals(type.nameEn)) {
            throw new MalformedEventException("event_type does not match event_type_id " + id);
        }

        // a missing field cannot be stored; an extra one would be silently lost
        StrictJson.exactly(params, "event_params", type.fields());
        Integer likeStatus = null;
        if (type == EventType.TRACK_LIKE || type == EventType.TRACK_UNLIKE) {
            likeStatus = StrictJson.int32(params, "uuid_track_like_status");
            if (likeStatus != (type == EventType.TRACK_LIKE ? 1 : 0)) {
                throw new MalformedEventException("like status " + likeStatus + " does not match " + type.nameEn);
            }
        }

        StrictJson.exactly(time, "event_timestamp_ms", List.of("ts", "ts_ms"));
        long tsMs = StrictJson.int64(time, "ts_ms");
        // 1970, 1899 or 9999 is no event of this service (and outside what ClickHouse's DateTime64 holds)
        if (tsMs < MusicEvent.EARLIEST_MS || tsMs >= MusicEvent.LATEST_MS) {
            throw new MalformedEventException("event time " + tsMs + " ms is outside the window");
        }
        // two times that disagree: neither can be trusted
        if (StrictJson.int64(time, "ts") != Math.floorDiv(tsMs, 1000)) {
            throw new MalformedEventException("ts is not ts_ms in whole seconds");
        }

        // given: user and track ids (lower-case UUIDs), device token, IPv4 address, country
        return MusicEvent.fromParams(type, params, likeStatus, tsMs);
    }
}
