//SOURCES EventType.java MalformedEventException.java MusicEvent.java StrictJson.java CanonicalEvent.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * {@link MusicEvent#parse}'s rules, read with Jackson's streaming parser: token by token into the fields of the three
 * objects an event has, with no tree of nodes per message and no regular expression per field. The sink parses every
 * record it reads, so this is where its time went (docs/benchmarks.md). The verdict and the reason are those of the
 * rules as written over a JSON tree with {@link StrictJson} (MusicEventParseTest holds the two to the same answer on
 * the hostile corpus and on generated events): the whole message is read before it is judged, and the checks run in
 * the same order, so the first thing wrong is the thing named.
 */
final class EventParser {
    private EventParser() {}

    // duplicate keys fail the parse, as in StrictJson
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final List<String> TOP = List.of("event_params", "event_timestamp_ms");
    private static final List<String> TIME = List.of("ts", "ts_ms");
    /** Each type's fields ({@link EventType#fields()} makes a new list per call). */
    private static final java.util.Map<EventType, List<String>> FIELDS = new java.util.EnumMap<>(EventType.class);

    static {
        for (EventType t : EventType.values()) {
            FIELDS.put(t, t.fields());
        }
    }

    /** One value as read: its token, its text, and its number when it is a whole one; an object's fields when descended into. */
    private record Value(JsonToken kind, String text, long number, BigInteger big, double decimal, Obj obj) {
        boolean fitsLong() {
            return kind == JsonToken.VALUE_NUMBER_INT && big == null;
        }

        boolean fitsInt() {
            return fitsLong() && number == (int) number;
        }

        /** The value as StrictJson shows it in a reason (a one-value node, made only for the reason). */
        String shown() {
            JsonNodeFactory f = JsonNodeFactory.instance;
            JsonNode node = switch (kind) {
                case START_OBJECT -> f.objectNode();
                case START_ARRAY -> f.arrayNode();
                case VALUE_STRING -> f.textNode(text);
                case VALUE_NUMBER_INT -> big != null ? f.numberNode(big) : number == (int) number ? f.numberNode((int) number) : f.numberNode(number);
                case VALUE_NUMBER_FLOAT -> f.numberNode(decimal);
                case VALUE_TRUE, VALUE_FALSE -> f.booleanNode(kind == JsonToken.VALUE_TRUE);
                default -> f.nullNode();
            };
            return StrictJson.shown(node);
        }
    }

    /** The fields of one object, in the order they came (names are unique: duplicates fail the parse). */
    private static final class Obj {
        final List<String> names = new ArrayList<>(12);
        final List<Value> values = new ArrayList<>(12);

        Value get(String name) {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equals(name)) {
                    return values.get(i);
                }
            }
            return null;
        }
    }

    static MusicEvent parse(byte[] value) throws MalformedEventException {
        MusicEvent canonical = CanonicalEvent.read(value); // the layout every producer of the course writes, read from its bytes
        if (canonical != null) {
            return canonical;
        }
        Obj root = object(value);
        exactly(root, "the message", TOP);
        Obj params = object(root, "event_params");
        Obj time = object(root, "event_timestamp_ms");

        int typeId = int32(params, "event_type_id");
        EventType type = EventType.byId(typeId);
        if (type == null) {
            throw new MalformedEventException("unknown event type " + typeId + " (the service has 1 to 8)");
        }
        String typeName = text(params, "event_type");
        if (!typeName.equals(type.nameEn)) {
            throw new MalformedEventException("event_type " + params.get("event_type").shown()
                    + " does not match event_type_id " + type.id + " (" + type.nameEn + ")");
        }
        exactly(params, "event_params of a " + type.nameEn, FIELDS.get(type));

        String user = uuid(params, "user_id");
        String token = text(params, "platform_token");
        if (!MusicEvent.isToken(token)) {
            throw mismatch(params, "platform_token", "1-512 letters, digits, ':', '_' or '-'");
        }
        String ipv4 = text(params, "ipv4");
        if (!MusicEvent.isIpv4(ipv4)) {
            throw mismatch(params, "ipv4", "an IPv4 address (four numbers 0-255)");
        }
        String country = text(params, "country");
        if (!MusicEvent.isCountry(country)) {
            throw new MalformedEventException("\"country\" must be 1-64 characters, not blank, no control characters, got "
                    + params.get("country").shown());
        }
        Integer likeStatus = null;
        if (type == EventType.TRACK_LIKE || type == EventType.TRACK_UNLIKE) {
            int expected = type == EventType.TRACK_LIKE ? 1 : 0;
            likeStatus = int32(params, "uuid_track_like_status");
            if (likeStatus != expected) {
                throw new MalformedEventException("\"uuid_track_like_status\" must be " + expected + " for " + type.nameEn + ", got " + likeStatus);
            }
        }
        boolean hasTrack = type.specificFields.contains("uuid_track");
        boolean skips = type.specificFields.contains("uuid_track_prev");

        exactly(time, "event_timestamp_ms", TIME);
        long tsMs = int64(time, "ts_ms");
        if (tsMs < MusicEvent.EARLIEST_MS || tsMs >= MusicEvent.LATEST_MS) {
            throw new MalformedEventException("event time " + tsMs + " ms is outside 2000-01-01 .. 2099-12-31 UTC");
        }
        long ts = int64(time, "ts");
        if (ts != Math.floorDiv(tsMs, 1000)) {
            throw new MalformedEventException("\"ts\" " + ts + " is not ts_ms in whole seconds (" + Math.floorDiv(tsMs, 1000) + ")");
        }
        return new MusicEvent(type, user, token, ipv4, country,
                hasTrack ? uuid(params, "uuid_track") : null,
                skips ? uuid(params, "uuid_track_prev") : null,
                skips ? uuid(params, "uuid_track_current") : null,
                type == EventType.ADDING_TRACK_TO_PLAYLIST ? uuid(params, "uuid_playlist") : null,
                likeStatus, tsMs);
    }

    // ---- reading: the message as one JSON object, or why it is none (StrictJson.object's checks, in its order) ------

    private static Obj object(byte[] value) throws MalformedEventException {
        StrictJson.checkBytes(value, MusicEvent.MAX_BYTES);
        boolean ascii = isAscii(value);
        Value root = null;
        boolean read = false;
        if (ascii) {
            // the fast road, taken by every valid event: the bytes straight into the parser
            try (JsonParser p = JSON.createParser(value)) {
                JsonToken first = p.nextToken();
                root = first == null ? null : value(p, first, true);
                read = root == null || p.nextToken() == null;
            } catch (IOException e) {
                read = false; // not JSON, or something after it: the road below says so in StrictJson's words
            }
        }
        if (!read) {
            root = readChecked(value);
        }
        if (root == null) {
            throw new MalformedEventException("not JSON: no value, only whitespace");
        }
        if (root.kind() != JsonToken.START_OBJECT) {
            String kind = switch (root.kind()) {
                case START_ARRAY -> "an ARRAY";
                case VALUE_STRING -> "STRING";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
                case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
                default -> "NULL";
            };
            throw new MalformedEventException("not an event: expected a JSON object, got " + kind);
        }
        return root.obj();
    }

    /**
     * The message read again the way StrictJson reads it (UTF-8 checked first, then the bytes to the parser), so every
     * error is worded as StrictJson's: the road for anything that is not plain ASCII JSON, and for every error.
     */
    private static Value readChecked(byte[] value) throws MalformedEventException {
        StrictJson.checkText(value);
        Value root;
        try (JsonParser p = JSON.createParser(value)) {
            JsonToken first;
            try {
                first = p.nextToken();
                root = first == null ? null : value(p, first, true);
            } catch (JsonProcessingException e) {
                throw new MalformedEventException("not JSON: " + StrictJson.shown(e.getOriginalMessage(), 80));
            }
            if (root != null) {
                long end = p.currentLocation().getByteOffset(); // the bytes of the one value end here
                boolean more;
                try {
                    more = p.nextToken() != null;
                } catch (JsonProcessingException e) {
                    more = true; // not even a token, but something
                }
                if (more) {
                    throw new MalformedEventException("not one JSON value: something follows it, after byte " + end);
                }
            }
        } catch (IOException e) {
            throw new MalformedEventException("unreadable: " + StrictJson.shown(e.getMessage(), 80));
        }
        return root;
    }

    /**
     * The value at the current token. The top-level object and its objects are read field by field ({@code depth}: the
     * root and one level below); anything deeper is skipped, but still read to its end, so a syntax error anywhere in
     * the message is found before the shape is judged.
     */
    private static Value value(JsonParser p, JsonToken t, boolean descend) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                if (!descend) {
                    p.skipChildren();
                    return new Value(t, "", 0, null, 0, null);
                }
                Obj obj = new Obj();
                boolean root = p.getParsingContext().getParent().inRoot();
                for (JsonToken n = p.nextToken(); n == JsonToken.FIELD_NAME; n = p.nextToken()) {
                    String name = p.currentName();
                    obj.names.add(name);
                    obj.values.add(value(p, p.nextToken(), root)); // the root's objects are read too, no deeper
                }
                return new Value(t, "", 0, null, 0, obj);
            }
            case START_ARRAY -> {
                p.skipChildren();
                return new Value(t, "", 0, null, 0, null);
            }
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return new Value(t, p.getText(), 0, p.getBigIntegerValue(), 0, null);
                }
                return new Value(t, p.getText(), p.getLongValue(), null, 0, null);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Value(t, p.getText(), 0, null, p.getDoubleValue(), null);
            }
            default -> {
                return new Value(t, p.getText(), 0, null, 0, null);
            }
        }
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** No byte has its high bit set; eight bytes at a time. */
    private static boolean isAscii(byte[] b) {
        long any = 0;
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            any |= (long) LONGS.get(b, i);
        }
        for (; i < b.length; i++) {
            any |= b[i];
        }
        return (any & 0x8080808080808080L) == 0;
    }

    // ---- the checks, as StrictJson words them -------------------------------------------------------------------

    private static Value present(Obj obj, String field) throws MalformedEventException {
        Value v = obj.get(field);
        if (v == null || v.kind() == JsonToken.VALUE_NULL) {
            throw new MalformedEventException("\"" + field + "\" is missing" + (v == null ? "" : " (null)"));
        }
        return v;
    }

    private static Obj object(Obj obj, String field) throws MalformedEventException {
        Value v = present(obj, field);
        if (v.kind() != JsonToken.START_OBJECT) {
            throw new MalformedEventException("\"" + field + "\" must be an object, got " + v.shown());
        }
        return v.obj();
    }

    private static void exactly(Obj obj, String where, List<String> fields) throws MalformedEventException {
        for (String f : fields) {
            present(obj, f);
        }
        List<String> extra = new ArrayList<>();
        for (String name : obj.names) {
            if (!fields.contains(name)) {
                extra.add(StrictJson.shown(name, StrictJson.SHOWN));
            }
        }
        if (!extra.isEmpty()) {
            throw new MalformedEventException(where + " has " + (extra.size() == 1 ? "a field that does" : "fields that do") + " not belong there: "
                    + String.join(", ", extra.subList(0, Math.min(3, extra.size()))) + (extra.size() > 3 ? ", ..." : ""));
        }
    }

    private static Value whole(Obj obj, String field) throws MalformedEventException {
        Value v = present(obj, field);
        if (v.kind() != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedEventException("\"" + field + "\" must be a whole number, got " + v.shown());
        }
        return v;
    }

    private static int int32(Obj obj, String field) throws MalformedEventException {
        Value v = whole(obj, field);
        if (!v.fitsInt()) {
            throw new MalformedEventException("\"" + field + "\" " + v.shown() + " does not fit 32 bits");
        }
        return (int) v.number();
    }

    private static long int64(Obj obj, String field) throws MalformedEventException {
        Value v = whole(obj, field);
        if (!v.fitsLong()) {
            throw new MalformedEventException("\"" + field + "\" " + v.shown() + " does not fit 64 bits");
        }
        return v.number();
    }

    private static String text(Obj obj, String field) throws MalformedEventException {
        Value v = present(obj, field);
        if (v.kind() != JsonToken.VALUE_STRING) {
            throw new MalformedEventException("\"" + field + "\" must be text, got " + v.shown());
        }
        return v.text();
    }

    private static MalformedEventException mismatch(Obj obj, String field, String described) {
        return new MalformedEventException("\"" + field + "\" must be " + described + ", got " + obj.get(field).shown());
    }

    private static String uuid(Obj obj, String field) throws MalformedEventException {
        String s = text(obj, field);
        if (!StrictJson.isUuid(s)) {
            throw mismatch(obj, field, "a lower-case UUID (8-4-4-4-12 hex digits)");
        }
        if (StrictJson.isNilUuid(s)) {
            throw new MalformedEventException("\"" + field + "\" is the nil UUID, which names nothing");
        }
        return s;
    }
}
