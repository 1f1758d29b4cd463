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

        // TODO 05.1.1: the type. event_type_id is a whole number that fits 32 bits (StrictJson.int32), EventType.byId
        //  gives its type (null: unknown, malformed), and event_type (StrictJson.text) must be that type's nameEn.
        //  Throw new MalformedEventException("...why...") for each way it can be wrong.
        EventType type = Todo.todo("05.1", 1, "read the event type strictly: id, known, and named by event_type");

        // TODO 05.1.2: the fields. event_params has exactly type.fields() (StrictJson.exactly: none missing, none
        //  extra). For track_like and track_unlike, uuid_track_like_status (32-bit) is 1 and 0; otherwise it stays null.
        Integer likeStatus = Todo.todo("05.1", 2, "check the type's fields and its like status");

        // TODO 05.1.3: the time. event_timestamp_ms has exactly ts and ts_ms, whole 64-bit numbers (StrictJson.int64);
        //  ts_ms lies in [MusicEvent.EARLIEST_MS, MusicEvent.LATEST_MS), and ts is ts_ms in whole seconds (Math.floorDiv).
        long tsMs = Todo.<Long>todo("05.1", 3, "check the event's time: in the window, ts agreeing with ts_ms");

        // given: user and track ids (lower-case UUIDs), device token, IPv4 address, country
        return MusicEvent.fromParams(type, params, likeStatus, tsMs);
    }
}
