//SOURCES EventType.java MalformedEventException.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One clickstream event of the music service: the one event model the generator, the consumer, the sink
 * and the checks share. JSON in the original project's exact shape:
 * <pre>
 * {"event_params": {"event_type_id": 1, "event_type": "track_playback", "user_id": "...",
 *                   "platform_token": "...", "ipv4": "...", "country": "...", "uuid_track": "..."},
 *  "event_timestamp_ms": {"ts": 1732470000, "ts_ms": 1732470000123}}
 * </pre>
 * Type-specific fields are null when the type has none of them.
 */
public record MusicEvent(
        EventType type,
        String userId,
        String platformToken,
        String ipv4,
        String country,
        String uuidTrack,
        String uuidTrackPrev,
        String uuidTrackCurrent,
        String uuidPlaylist,
        Integer uuidTrackLikeStatus,
        long tsMs) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory JSON_FACTORY = JSON.getFactory();
    private static final List<String> COMMON = List.of("user_id", "platform_token", "ipv4", "country");

    /** Event time in seconds, as the original's {@code ts}. */
    public long ts() {
        return Math.floorDiv(tsMs, 1000);
    }

    public Instant eventTime() {
        return Instant.ofEpochMilli(tsMs);
    }

    /** The event's date in UTC (what the lake partitions by, not the date of writing). */
    public LocalDate eventDate() {
        return eventTime().atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /**
     * The JSON message, fields in the original's order. Written with Jackson's streaming generator (field by field,
     * no tree of nodes in between): the same text as building an ObjectNode and calling toString() (MusicEventJsonTest),
     * measured 0.65 instead of 0.70 us per event once the JIT is warm, half the time before (docs/benchmarks.md).
     */
    public String toJson() {
        StringWriter out = new StringWriter(480);
        try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("event_params");
            g.writeNumberField("event_type_id", type.id);
            g.writeStringField("event_type", type.nameEn);
            string(g, "user_id", userId);
            string(g, "platform_token", platformToken);
            string(g, "ipv4", ipv4);
            string(g, "country", country);
            for (String field : type.specificFields) {
                switch (field) {
                    case "uuid_track" -> string(g, field, uuidTrack);
                    case "uuid_track_prev" -> string(g, field, uuidTrackPrev);
                    case "uuid_track_current" -> string(g, field, uuidTrackCurrent);
                    case "uuid_playlist" -> string(g, field, uuidPlaylist);
                    case "uuid_track_like_status" -> {
                        if (uuidTrackLikeStatus == null) {
                            g.writeNullField(field);
                        } else {
                            g.writeNumberField(field, uuidTrackLikeStatus.intValue());
                        }
                    }
                    default -> throw new IllegalStateException("unknown field " + field);
                }
            }
            g.writeEndObject();
            g.writeObjectFieldStart("event_timestamp_ms");
            g.writeNumberField("ts", ts());
            g.writeNumberField("ts_ms", tsMs);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void string(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    public byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a message's bytes; a message that is not a valid event throws with the reason. */
    public static MusicEvent parse(byte[] value) throws MalformedEventException {
        if (value == null || value.length == 0) {
            throw new MalformedEventException("empty message");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new MalformedEventException("unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("wrong shape: expected a JSON object, got " + (root == null ? "nothing" : root.getNodeType()));
        }
        JsonNode params = root.get("event_params");
        JsonNode time = root.get("event_timestamp_ms");
        if (params == null || !params.isObject()) {
            throw new MalformedEventException("wrong shape: no \"event_params\" object");
        }
        if (time == null || !time.isObject()) {
            throw new MalformedEventException("wrong shape: no \"event_timestamp_ms\" object");
        }
        JsonNode typeId = params.get("event_type_id");
        if (typeId == null || !typeId.isIntegralNumber()) {
            throw new MalformedEventException("wrong shape: \"event_type_id\" is missing or not an integer");
        }
        EventType type = EventType.byId(typeId.asInt());
        if (type == null) {
            throw new MalformedEventException("unknown event type " + typeId.asText());
        }
        JsonNode typeName = params.get("event_type");
        if (typeName != null && !typeName.asText().equals(type.nameEn)) {
            throw new MalformedEventException("event_type \"" + typeName.asText() + "\" does not match event_type_id " + type.id);
        }
        for (String field : COMMON) {
            text(params, field, true);
        }
        for (String field : type.specificFields) {
            if (!params.has(field) || params.get(field).isNull()) {
                throw new MalformedEventException(type.nameEn + " needs \"" + field + "\"");
            }
        }
        JsonNode tsMs = time.get("ts_ms");
        if (tsMs == null || !tsMs.isIntegralNumber()) {
            throw new MalformedEventException("wrong shape: \"ts_ms\" is missing or not an integer");
        }
        Integer likeStatus = null;
        if (type.specificFields.contains("uuid_track_like_status")) {
            JsonNode status = params.get("uuid_track_like_status");
            if (!status.isIntegralNumber() || (status.asInt() != 0 && status.asInt() != 1)) {
                throw new MalformedEventException("\"uuid_track_like_status\" must be 1 (like) or 0 (unlike), got " + status);
            }
            likeStatus = status.asInt();
        }
        return new MusicEvent(type,
                text(params, "user_id", true), text(params, "platform_token", true),
                text(params, "ipv4", true), text(params, "country", true),
                text(params, "uuid_track", false), text(params, "uuid_track_prev", false),
                text(params, "uuid_track_current", false), text(params, "uuid_playlist", false),
                likeStatus, tsMs.asLong());
    }

    private static String text(JsonNode params, String field, boolean required) throws MalformedEventException {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new MalformedEventException("wrong shape: \"" + field + "\" is missing");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new MalformedEventException("wrong shape: \"" + field + "\" must be a non-empty string, got " + v);
        }
        return v.asText();
    }
}
