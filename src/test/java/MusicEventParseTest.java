import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * MusicEvent.parse reads with Jackson's streaming parser (for the sink's speed, docs/benchmarks.md): it must judge every
 * message as the straightforward tree version below does - the same event for a valid one, malformed for an invalid
 * one - except where the tree was wrong: integers too big for their type, which it silently truncated into valid ones.
 */
class MusicEventParseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = new Clickstream(3).next().toJson();

    @Test
    void theStreamingParseGivesTheTreeParsesVerdictOnEveryMessage() throws Exception {
        Map<String, byte[]> messages = new LinkedHashMap<>();
        Clickstream stream = new Clickstream(21);
        for (int i = 0; i < 5_000; i++) {
            messages.put("generated " + i, stream.next().toBytes());
        }
        hostile().forEach((kind, text) -> messages.put(kind, text.getBytes(StandardCharsets.UTF_8)));
        messages.put("invalid UTF-8 in a field", EVENT.replace("\"country\":\"", "\"country\":\"\u0000").getBytes(StandardCharsets.UTF_8));
        messages.put("bytes that are not UTF-8", new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        messages.put("a UTF-8 BOM first", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, EVENT.getBytes(StandardCharsets.UTF_8)));
        byte[] invalidInsideUnknown = EVENT.replace("{\"event_params\":{", "{\"event_params\":{\"extra\":\"xx\",")
                .getBytes(StandardCharsets.UTF_8);
        int at = new String(invalidInsideUnknown, StandardCharsets.ISO_8859_1).indexOf("xx");
        invalidInsideUnknown[at] = (byte) 0xC3;
        invalidInsideUnknown[at + 1] = (byte) 0x28;
        messages.put("invalid UTF-8 inside an unknown field", invalidInsideUnknown);

        int valid = 0;
        for (Map.Entry<String, byte[]> m : messages.entrySet()) {
            Object tree = verdict(() -> treeParse(m.getValue()));
            Object streaming = verdict(() -> MusicEvent.parse(m.getValue()));
            assertThat(streaming).as("verdict on %s: %s", m.getKey(), new String(m.getValue(), StandardCharsets.UTF_8)).isEqualTo(tree);
            valid += tree instanceof MusicEvent ? 1 : 0;
        }
        assertThat(valid).as("valid messages among them: every generated one, and some hostile ones (a short user id, "
                + "trailing garbage...) that the model accepts today").isBetween(5_000, messages.size() - 20);
    }

    @Test
    void integersTooBigForTheirTypeAreMalformedNotTruncated() {
        Map<String, String> overflow = Map.of(
                "event_type_id 2^32 + 1 (the tree read it as 1)", EVENT.replaceFirst("\"event_type_id\":\\d+", "\"event_type_id\":4294967297"),
                "ts_ms beyond 64 bits", EVENT.replaceFirst("\"ts_ms\":\\d+", "\"ts_ms\":123456789012345678901234567890"),
                "like status 2^32 (the tree read it as 0)", ofType(EventType.TRACK_LIKE)
                        .replaceFirst("\"uuid_track_like_status\":\\d", "\"uuid_track_like_status\":4294967296"));
        overflow.forEach((kind, json) -> assertThat(verdict(() -> MusicEvent.parse(json.getBytes(StandardCharsets.UTF_8))))
                .as(kind).isEqualTo("malformed"));
    }

    @Test
    void anErrorEchoesAHugeValueShortened() {
        String huge = "x".repeat(700_000);
        String json = EVENT.replaceFirst("\"event_type\":\"[a-z_]+\"", "\"event_type\":\"" + huge + "\"");
        try {
            MusicEvent.parse(json.getBytes(StandardCharsets.UTF_8));
            throw new AssertionError("a 700 KB event_type that contradicts the id was accepted");
        } catch (MalformedEventException e) {
            assertThat(e.getMessage()).as("the reason").contains("does not match").contains("700000 characters");
            assertThat(e.getMessage().length()).as("length of the reason for a 700 KB field").isLessThan(300);
        }
    }

    private static Map<String, String> hostile() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("not JSON", "hello");
        m.put("truncated", EVENT.substring(0, EVENT.length() / 2));
        m.put("{}", "{}");
        m.put("[]", "[]");
        m.put("an array of events", "[" + EVENT + "," + EVENT + "]");
        m.put("null", "null");
        m.put("a number", "42");
        m.put("a string", "\"event\"");
        m.put("whitespace", "   ");
        m.put("trailing garbage", EVENT + " garbage");
        m.put("a second object after it", EVENT + EVENT);
        m.put("params not an object", EVENT.replaceFirst("\"event_params\":\\{", "\"event_params\":5,\"x\":{"));
        m.put("time not an object", EVENT.replaceFirst("\"event_timestamp_ms\":\\{[^}]*}", "\"event_timestamp_ms\":[1]"));
        m.put("type id as a string", EVENT.replaceFirst("\"event_type_id\":(\\d+)", "\"event_type_id\":\"$1\""));
        m.put("type id as a float", EVENT.replaceFirst("\"event_type_id\":(\\d+)", "\"event_type_id\":$1.0"));
        m.put("unknown type id", EVENT.replaceFirst("\"event_type_id\":\\d+", "\"event_type_id\":99"));
        m.put("type name contradicts id", EVENT.replaceFirst("\"event_type\":\"[a-z_]+\"", "\"event_type\":\"track_like\""));
        m.put("type name a number", EVENT.replaceFirst("\"event_type\":\"[a-z_]+\"", "\"event_type\":7"));
        m.put("type name null", EVENT.replaceFirst("\"event_type\":\"[a-z_]+\"", "\"event_type\":null"));
        m.put("no type name", EVENT.replaceFirst("\"event_type\":\"[a-z_]+\",", ""));
        m.put("user id a number", EVENT.replaceFirst("\"user_id\":\"[^\"]*\"", "\"user_id\":12345"));
        m.put("user id blank", EVENT.replaceFirst("\"user_id\":\"[^\"]*\"", "\"user_id\":\"  \""));
        m.put("user id null", EVENT.replaceFirst("\"user_id\":\"[^\"]*\"", "\"user_id\":null"));
        m.put("user id an object", EVENT.replaceFirst("\"user_id\":\"[^\"]*\"", "\"user_id\":{\"a\":1}"));
        m.put("no user id", EVENT.replaceFirst("\"user_id\":\"[^\"]*\",", ""));
        m.put("a short user id", EVENT.replaceFirst("\"user_id\":\"[^\"]*\"", "\"user_id\":\"u1\""));
        m.put("duplicate user id, last wins", EVENT.replaceFirst("\"user_id\":", "\"user_id\":\"first\",\"user_id\":"));
        m.put("duplicate params, last wins", EVENT.replaceFirst("\\{\"event_params\":", "{\"event_params\":{},\"event_params\":"));
        m.put("ts_ms a string", EVENT.replaceFirst("\"ts_ms\":(\\d+)", "\"ts_ms\":\"yesterday\""));
        m.put("ts_ms negative", EVENT.replaceFirst("\"ts_ms\":(\\d+)", "\"ts_ms\":-5"));
        m.put("ts_ms a float", EVENT.replaceFirst("\"ts_ms\":(\\d+)", "\"ts_ms\":1.5"));
        m.put("no ts_ms", EVENT.replaceFirst(",\"ts_ms\":\\d+", ""));
        m.put("a missing type-specific field", EVENT.replaceFirst(",\"uuid_track\":\"[^\"]*\"", ""));
        m.put("a null type-specific field", EVENT.replaceFirst("\"uuid_track\":\"[^\"]*\"", "\"uuid_track\":null"));
        m.put("an extra field of another type, a number", EVENT.replaceFirst("\"country\":", "\"uuid_playlist\":5,\"country\":"));
        m.put("unknown fields everywhere", EVENT.replaceFirst("\\{\"event_params\":\\{", "{\"z\":[1,{\"a\":2}],\"event_params\":{\"q\":{\"r\":[]},"));
        m.put("like status 2", ofType(EventType.TRACK_LIKE)
                .replaceFirst("\"uuid_track_like_status\":\\d", "\"uuid_track_like_status\":2"));
        m.put("like status a string", ofType(EventType.TRACK_LIKE)
                .replaceFirst("\"uuid_track_like_status\":\\d", "\"uuid_track_like_status\":\"1\""));
        m.put("a valid like", ofType(EventType.TRACK_LIKE));
        m.put("a valid skip", ofType(EventType.SKIPPING_TRACK_NEXT));
        return m;
    }

    /** The JSON of the first generated event of this type. */
    private static String ofType(EventType type) {
        Clickstream stream = new Clickstream(8);
        for (;;) {
            MusicEvent e = stream.next();
            if (e.type() == type) {
                return e.toJson();
            }
        }
    }

    interface Parse {
        MusicEvent parse() throws MalformedEventException;
    }

    /** The event, or "malformed". */
    private static Object verdict(Parse p) {
        try {
            return p.parse();
        } catch (MalformedEventException e) {
            return "malformed";
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The reference: MusicEvent.parse as it was, over a Jackson tree (its rules, field by field). */
    static MusicEvent treeParse(byte[] value) throws MalformedEventException {
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
            throw new MalformedEventException("wrong shape");
        }
        JsonNode params = root.get("event_params");
        JsonNode time = root.get("event_timestamp_ms");
        if (params == null || !params.isObject() || time == null || !time.isObject()) {
            throw new MalformedEventException("wrong shape");
        }
        JsonNode typeId = params.get("event_type_id");
        if (typeId == null || !typeId.isIntegralNumber()) {
            throw new MalformedEventException("wrong shape");
        }
        EventType type = EventType.byId(typeId.asInt());
        if (type == null) {
            throw new MalformedEventException("unknown event type");
        }
        JsonNode typeName = params.get("event_type");
        if (typeName != null && !typeName.asText().equals(type.nameEn)) {
            throw new MalformedEventException("event_type does not match");
        }
        for (String field : List.of("user_id", "platform_token", "ipv4", "country")) {
            text(params, field, true);
        }
        for (String field : type.specificFields) {
            if (!params.has(field) || params.get(field).isNull()) {
                throw new MalformedEventException("needs " + field);
            }
        }
        JsonNode tsMs = time.get("ts_ms");
        if (tsMs == null || !tsMs.isIntegralNumber()) {
            throw new MalformedEventException("wrong shape");
        }
        Integer likeStatus = null;
        if (type.specificFields.contains("uuid_track_like_status")) {
            JsonNode status = params.get("uuid_track_like_status");
            if (!status.isIntegralNumber() || (status.asInt() != 0 && status.asInt() != 1)) {
                throw new MalformedEventException("like status");
            }
            likeStatus = status.asInt();
        }
        return new MusicEvent(type, text(params, "user_id", true), text(params, "platform_token", true),
                text(params, "ipv4", true), text(params, "country", true), text(params, "uuid_track", false),
                text(params, "uuid_track_prev", false), text(params, "uuid_track_current", false),
                text(params, "uuid_playlist", false), likeStatus, tsMs.asLong());
    }

    private static String text(JsonNode params, String field, boolean required) throws MalformedEventException {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new MalformedEventException("missing " + field);
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new MalformedEventException("not a string: " + field);
        }
        return v.asText();
    }

}
