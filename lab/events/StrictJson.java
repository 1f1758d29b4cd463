//SOURCES MalformedEventException.java
//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
//DEPS com.fasterxml.jackson.core:jackson-databind
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reading a message as JSON strictly: the pieces {@link MusicEvent#parse} is made of. Each one either returns
 * what it read or throws a {@link MalformedEventException} whose reason names the field and shows at most a few
 * dozen characters of the input (a reason never grows with the message, so a dead letter carrying it stays small).
 *
 * <p>Nothing is guessed or cut: a number that does not fit is malformed, not truncated; a field that is not there
 * is malformed, not defaulted.
 */
public final class StrictJson {
    private StrictJson() {}

    /** Whatever the input, a reason shows at most this many characters of it. */
    public static final int SHOWN = 40;

    private static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";

    // duplicate keys fail the parse instead of the last one silently winning
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The checks before any text is read: a value (not a tombstone), 1 to {@code maxBytes} bytes, no byte order mark. */
    public static void checkBytes(byte[] value, int maxBytes) throws MalformedEventException {
        if (value == null) {
            throw new MalformedEventException("a tombstone: the record has no value");
        }
        if (value.length == 0) {
            throw new MalformedEventException("empty message");
        }
        if (value.length > maxBytes) {
            throw new MalformedEventException(String.format("too large: %,d bytes, an event is at most %,d", value.length, maxBytes));
        }
        if (value.length >= 3 && value[0] == (byte) 0xEF && value[1] == (byte) 0xBB && value[2] == (byte) 0xBF) {
            throw new MalformedEventException("starts with a byte order mark: JSON senders must not add one");
        }
    }

    /** The bytes are UTF-8 text with no NUL ({@link #invalidUtf8At}), or why not. */
    public static void checkText(byte[] value) throws MalformedEventException {
        int bad = invalidUtf8At(value);
        if (bad >= 0) {
            throw new MalformedEventException(value[bad] == 0 ? "a NUL byte at position " + bad + ": not JSON text"
                    : String.format("not UTF-8 text: byte 0x%02X at position %d starts no valid character", value[bad] & 0xFF, bad));
        }
    }

    /**
     * The message as one JSON object, or why it is none: no value (a tombstone), no bytes, more than {@code maxBytes},
     * a byte order mark, bytes that are not UTF-8, not JSON (duplicate keys included), anything but whitespace after
     * the value, a value that is not an object.
     */
    public static JsonNode object(byte[] value, int maxBytes) throws MalformedEventException {
        checkBytes(value, maxBytes);
        checkText(value);
        JsonNode root;
        // the bytes are UTF-8 without a BOM or a NUL, so Jackson reads them as UTF-8 (it guesses UTF-16/32 only from those)
        try (JsonParser parser = JSON.createParser(value)) {
            try {
                root = JSON.readTree(parser);
            } catch (JsonProcessingException e) {
                throw new MalformedEventException("not JSON: " + shown(e.getOriginalMessage(), 80));
            }
            if (root != null && !root.isMissingNode()) {
                long end = parser.currentLocation().getByteOffset(); // the bytes of the one value end here
                boolean more;
                try {
                    more = parser.nextToken() != null;
                } catch (JsonProcessingException e) {
                    more = true; // not even a token, but something
                }
                if (more) {
                    throw new MalformedEventException("not one JSON value: something follows it, after byte " + end);
                }
            }
        } catch (IOException e) {
            throw new MalformedEventException("unreadable: " + shown(e.getMessage(), 80));
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedEventException("not JSON: no value, only whitespace");
        }
        if (!root.isObject()) {
            throw new MalformedEventException("not an event: expected a JSON object, got " + kind(root));
        }
        return root;
    }

    /** The field {@code field} of {@code obj}, which must be an object. */
    public static JsonNode object(JsonNode obj, String field) throws MalformedEventException {
        JsonNode v = present(obj, field);
        if (!v.isObject()) {
            throw new MalformedEventException("\"" + field + "\" must be an object, got " + shown(v));
        }
        return v;
    }

    /** {@code obj} has exactly these fields: none missing (the first one missing is named), none more. */
    public static void exactly(JsonNode obj, String where, Collection<String> fields) throws MalformedEventException {
        for (String f : fields) {
            present(obj, f);
        }
        List<String> extra = new ArrayList<>();
        obj.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                extra.add(shown(name, SHOWN));
            }
        });
        if (!extra.isEmpty()) {
            throw new MalformedEventException(where + " has " + (extra.size() == 1 ? "a field that does" : "fields that do") + " not belong there: "
                    + String.join(", ", extra.subList(0, Math.min(3, extra.size()))) + (extra.size() > 3 ? ", ..." : ""));
        }
    }

    /** A whole JSON number that fits 32 bits (not text, no fraction, nothing cut off). */
    public static int int32(JsonNode obj, String field) throws MalformedEventException {
        JsonNode v = whole(obj, field);
        if (!v.canConvertToInt()) {
            throw new MalformedEventException("\"" + field + "\" " + shown(v) + " does not fit 32 bits");
        }
        return v.intValue();
    }

    /** A whole JSON number that fits 64 bits. */
    public static long int64(JsonNode obj, String field) throws MalformedEventException {
        JsonNode v = whole(obj, field);
        if (!v.canConvertToLong()) {
            throw new MalformedEventException("\"" + field + "\" " + shown(v) + " does not fit 64 bits");
        }
        return v.longValue();
    }

    /** A JSON string. */
    public static String text(JsonNode obj, String field) throws MalformedEventException {
        JsonNode v = present(obj, field);
        if (!v.isTextual()) {
            throw new MalformedEventException("\"" + field + "\" must be text, got " + shown(v));
        }
        return v.textValue();
    }

    /** A JSON string that {@code form} accepts; {@code described} says what that is, for the reason. */
    public static String matching(JsonNode obj, String field, Predicate<String> form, String described) throws MalformedEventException {
        String s = text(obj, field);
        if (!form.test(s)) {
            throw new MalformedEventException("\"" + field + "\" must be " + described + ", got " + shown(obj.get(field)));
        }
        return s;
    }

    /** A lower-case canonical UUID that is not the nil UUID. */
    public static String uuid(JsonNode obj, String field) throws MalformedEventException {
        String s = matching(obj, field, StrictJson::isUuid, "a lower-case UUID (8-4-4-4-12 hex digits)");
        if (isNilUuid(s)) {
            throw new MalformedEventException("\"" + field + "\" is the nil UUID, which names nothing");
        }
        return s;
    }

    /**
     * 8-4-4-4-12 lower-case hex digits. Checked by hand (a regular expression costs more than the rest of the parse), and
     * by table: each position's expected kind of character against the character's kind. A test per position (is it
     * 8, 13, 18 or 23? then a dash, else a hex digit) took 6 times as long: 137 ns a UUID against 23 ns, half of the
     * fast road's time in the sink (lab/events/CanonicalEvent.java reads two UUIDs per event).
     */
    public static boolean isUuid(CharSequence s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (c >= 128 || UUID_KIND_OF[c] != UUID_KIND_AT[i]) {
                return false;
            }
        }
        return true;
    }

    private static final byte DASH = 1;
    private static final byte HEX = 2;
    /** What a canonical UUID holds at each of its 36 positions. */
    private static final byte[] UUID_KIND_AT = new byte[36];
    /** The kind of each ASCII character in a UUID; 0 for all that never appear in one. */
    private static final byte[] UUID_KIND_OF = new byte[128];

    static {
        Arrays.fill(UUID_KIND_AT, HEX);
        for (int dash : new int[] {8, 13, 18, 23}) {
            UUID_KIND_AT[dash] = DASH;
        }
        UUID_KIND_OF['-'] = DASH;
        for (char c = '0'; c <= '9'; c++) {
            UUID_KIND_OF[c] = HEX;
        }
        for (char c = 'a'; c <= 'f'; c++) {
            UUID_KIND_OF[c] = HEX;
        }
    }

    /** The nil UUID, which names nothing. */
    public static boolean isNilUuid(CharSequence s) {
        return NIL_UUID.contentEquals(s);
    }

    /**
     * Where the bytes stop being UTF-8 text (a byte that starts no valid character, an overlong form, a surrogate, a
     * sequence cut short) or hold a NUL, which no JSON text has outside an escape; -1 when they are clean.
     */
    public static int invalidUtf8At(byte[] b) {
        int i = 0;
        while (i < b.length) {
            if (b[i] > 0) { // ASCII, not NUL: nearly every byte of an event
                i++;
                continue;
            }
            int c = b[i] & 0xFF;
            if (c == 0) {
                return i;
            }
            int more = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
            if (more < 0 || i + more >= b.length) {
                return i;
            }
            int c1 = b[i + 1] & 0xFF;
            if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
                return i; // overlong, a UTF-16 surrogate, or beyond U+10FFFF
            }
            for (int k = 1; k <= more; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += more + 1;
        }
        return -1;
    }

    /** At most {@link #SHOWN} characters of a JSON value, as JSON, for a reason. */
    public static String shown(JsonNode v) {
        if (v.isContainerNode()) {
            return kind(v).toLowerCase();
        }
        return shown(v.toString(), SHOWN);
    }

    /** At most {@code max} characters of {@code s}, and how much was left out. */
    public static String shown(String s, int max) {
        if (s == null) {
            return "null";
        }
        return s.length() <= max ? s : s.substring(0, max) + String.format("... (%,d characters)", s.length());
    }

    private static JsonNode present(JsonNode obj, String field) throws MalformedEventException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            throw new MalformedEventException("\"" + field + "\" is missing" + (v == null ? "" : " (null)"));
        }
        return v;
    }

    private static JsonNode whole(JsonNode obj, String field) throws MalformedEventException {
        JsonNode v = present(obj, field);
        if (!v.isIntegralNumber()) {
            throw new MalformedEventException("\"" + field + "\" must be a whole number, got " + shown(v));
        }
        return v;
    }

    private static String kind(JsonNode v) {
        return v.isArray() ? "an ARRAY" : v.isObject() ? "an OBJECT" : v.getNodeType().toString();
    }
}
