//SOURCES EventType.java MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The sink's fast road into an event: a message laid out exactly as {@link MusicEvent#toJson} writes it (compact, the
 * original's field order, plain ASCII, no escapes) is read straight from its bytes in one pass, with no parser, no
 * token and no tree. It only ever accepts: anything it does not expect (a space, an escape, another field order, a
 * value out of its form) and it answers null, and {@link EventParser} reads the message the careful way, which gives
 * the verdict and its reason. MusicEventParseTest holds the two roads to the same answer, on every one-byte change of
 * an event of each type among others.
 * <p>
 * Why: the sink parses every record it reads, and Jackson's streaming parse of a ~500-byte event cost ~4 us, the
 * largest single part of the sink's CPU per record (docs/benchmarks.md). Every producer in the course writes this layout.
 */
final class CanonicalEvent {
    private static final byte[] OPEN = ascii("{\"event_params\":{\"event_type_id\":");
    private static final byte[] TYPE = ascii(",\"event_type\":");
    private static final byte[] USER = ascii(",\"user_id\":");
    private static final byte[] TOKEN = ascii(",\"platform_token\":");
    private static final byte[] IPV4 = ascii(",\"ipv4\":");
    private static final byte[] COUNTRY = ascii(",\"country\":");
    private static final byte[] TIME = ascii("},\"event_timestamp_ms\":{\"ts\":");
    private static final byte[] TS_MS = ascii(",\"ts_ms\":");
    private static final byte[] CLOSE = ascii("}}");
    /** Each type's own fields as they are written: {@code ,"uuid_track":}. */
    private static final Map<EventType, byte[][]> SPECIFIC = new EnumMap<>(EventType.class);

    static {
        for (EventType t : EventType.values()) {
            SPECIFIC.put(t, t.specificFields.stream().map(f -> ascii(",\"" + f + "\":")).toArray(byte[][]::new));
        }
    }

    /**
     * Where each text of an event lies in the message, and its other values: what {@link EventParquet.Rows} copies
     * straight from the message's bytes, with no String in between. Texts in {@link EventParquet.Rows}' order: user_id,
     * platform_token, ipv4, country, uuid_track, uuid_track_prev, uuid_track_current, uuid_playlist (-1: none).
     */
    static final class Spans {
        EventType type;
        /** uuid_track_like_status, or Integer.MIN_VALUE when the type has none. */
        int like;
        long tsMs;
        final int[] at = new int[8];
        final int[] length = new int[8];

        /** The event these spans of {@code b} describe. */
        MusicEvent event(byte[] b) {
            return new MusicEvent(type, text(b, 0), text(b, 1), text(b, 2), text(b, 3), text(b, 4), text(b, 5), text(b, 6), text(b, 7),
                    like == Integer.MIN_VALUE ? null : like, tsMs);
        }

        private String text(byte[] b, int slot) {
            return at[slot] < 0 ? null : new String(b, at[slot], length[slot], StandardCharsets.ISO_8859_1);
        }
    }

    private final byte[] b;
    private final int end;
    private final Spans s;
    private int i;

    private CanonicalEvent(byte[] b, int from, int to, Spans into) {
        this.b = b;
        this.i = from;
        this.end = to;
        this.s = into;
    }

    /** The event, or null when the message is not an event in the canonical layout (it may still be one: ask EventParser). */
    static MusicEvent read(byte[] value) {
        Spans spans = new Spans();
        return value != null && read(value, 0, value.length, spans) ? spans.event(value) : null;
    }

    /**
     * Reads the message in {@code b[from, to)} into {@code into}; false when it is not an event in the canonical layout
     * (it may still be one: ask EventParser).
     */
    static boolean read(byte[] b, int from, int to, Spans into) {
        return to - from <= MusicEvent.MAX_BYTES && new CanonicalEvent(b, from, to, into).event();
    }

    private boolean event() {
        if (!literal(OPEN)) {
            return false;
        }
        long typeId = number();
        EventType type = typeId >= 1 && typeId <= 8 ? EventType.byId((int) typeId) : null;
        if (type == null || !literal(TYPE) || !string(0) || !equalsAscii(s.at[0], s.length[0], type.nameEn)) { // slot 0 is the user's next
            return false;
        }
        s.type = type;
        s.like = Integer.MIN_VALUE;
        java.util.Arrays.fill(s.at, 4, 8, -1);
        if (!(literal(USER) && uuid(0) && literal(TOKEN) && string(1) && isToken(s.at[1], s.length[1])
                && literal(IPV4) && string(2) && isIpv4(s.at[2], s.length[2])
                && literal(COUNTRY) && string(3) && isCountry(s.at[3], s.length[3]))) {
            return false;
        }
        byte[][] fields = SPECIFIC.get(type);
        for (int f = 0; f < fields.length; f++) {
            if (!literal(fields[f])) {
                return false;
            }
            String name = type.specificFields.get(f);
            if (name.equals("uuid_track_like_status")) {
                long status = number();
                if (status != (type == EventType.TRACK_LIKE ? 1 : 0)) {
                    return false;
                }
                s.like = (int) status;
            } else if (!uuid(switch (name) {
                case "uuid_track" -> 4;
                case "uuid_track_prev" -> 5;
                case "uuid_track_current" -> 6;
                default -> 7;
            })) {
                return false;
            }
        }
        if (!literal(TIME)) {
            return false;
        }
        long ts = number();
        long tsMs = literal(TS_MS) ? number() : -1;
        s.tsMs = tsMs;
        return literal(CLOSE) && i == end && tsMs >= MusicEvent.EARLIEST_MS && tsMs < MusicEvent.LATEST_MS && ts == Math.floorDiv(tsMs, 1000);
    }

    /** The bytes {@code lit} next, and steps over them. */
    private boolean literal(byte[] lit) {
        if (i + lit.length > end) {
            return false;
        }
        for (int k = 0; k < lit.length; k++) {
            if (b[i + k] != lit[k]) {
                return false;
            }
        }
        i += lit.length;
        return true;
    }

    /** A whole number of 1-18 digits, no sign, no leading zero; -1 when the next bytes are not one. */
    private long number() {
        int start = i;
        long n = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9' && i - start < 18) {
            n = n * 10 + (b[i++] - '0');
        }
        int digits = i - start;
        boolean more = i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E' || (b[i] >= '0' && b[i] <= '9'));
        return digits == 0 || more || (digits > 1 && b[start] == '0') ? -1 : n;
    }

    /** A string of printable ASCII with no escape, its span kept in {@code slot}; false for anything else. */
    private boolean string(int slot) {
        if (i >= end || b[i] != '"') {
            return false;
        }
        int start = ++i;
        while (i < end && b[i] != '"') {
            byte c = b[i];
            if (c < 0x20 || c == '\\' || c == 0x7f) { // a negative byte is not ASCII
                return false;
            }
            i++;
        }
        if (i >= end) {
            return false;
        }
        s.at[slot] = start;
        s.length[slot] = i - start;
        i++;
        return true;
    }

    private boolean equalsAscii(int at, int length, String text) {
        if (length != text.length()) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (b[at + k] != text.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** A lower-case UUID that is not the nil one ({@link EventParser#isUuid}, on bytes). */
    private boolean uuid(int slot) {
        if (!string(slot) || s.length[slot] != 36) {
            return false;
        }
        int at = s.at[slot];
        boolean nil = true;
        for (int k = 0; k < 36; k++) {
            byte c = b[at + k];
            if (k == 8 || k == 13 || k == 18 || k == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            } else {
                nil &= c == '0';
            }
        }
        return !nil;
    }

    /** {@link MusicEvent#isToken} on bytes: 1-512 letters, digits, ':', '_' or '-'. */
    private boolean isToken(int at, int length) {
        if (length < 1 || length > 512) {
            return false;
        }
        for (int k = at; k < at + length; k++) {
            byte c = b[k];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@link MusicEvent#isIpv4} on bytes: four numbers 0-255 with dots between, no leading zeros. */
    private boolean isIpv4(int at, int length) {
        int k = at;
        int stop = at + length;
        for (int part = 0; part < 4; part++) {
            int start = k;
            int value = 0;
            while (k < stop && b[k] >= '0' && b[k] <= '9' && k - start < 3) {
                value = value * 10 + (b[k++] - '0');
            }
            int digits = k - start;
            if (digits == 0 || value > 255 || (digits > 1 && b[start] == '0')) {
                return false;
            }
            if (part < 3) {
                if (k >= stop || b[k] != '.') {
                    return false;
                }
                k++;
            }
        }
        return k == stop;
    }

    /** {@link MusicEvent#isCountry} on printable ASCII: 1-64 characters, not only spaces. */
    private boolean isCountry(int at, int length) {
        if (length < 1 || length > 64) {
            return false;
        }
        for (int k = at; k < at + length; k++) {
            if (b[k] != ' ') {
                return true;
            }
        }
        return false;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
