//SOURCES EventType.java MusicEvent.java StrictJson.java
//COMPILE_OPTIONS -encoding UTF-8
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The sink's fast road into an event: a message laid out exactly as {@link MusicEvent#toJson} writes it (compact, the
 * original's field order, plain ASCII, no escapes) is read straight from its bytes in one pass, with no parser, no
 * token and no tree. It only ever accepts: anything it does not expect (a space, an escape, another field order, a
 * value out of its form) and it answers null, and {@link EventParser} reads the message the careful way, which gives
 * the verdict and its reason. Each value's form is judged by the course's one check for it ({@link MusicEvent#isToken},
 * {@link StrictJson#isUuid}, ...), on the text where it lies in the message. MusicEventParseTest holds the two roads to the same answer, on every one-byte change of
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
    /** One of a type's own fields as it is written ({@code ,"uuid_track":}), and the slot of its text in {@link Spans}. */
    private record Field(byte[] written, int slot) {}

    /** The slot of uuid_track_like_status, which is a number, not a text. */
    private static final int LIKE = -1;
    /** Each type's own fields, by its ordinal. */
    private static final Field[][] SPECIFIC = new Field[EventType.values().length][];

    static {
        for (EventType t : EventType.values()) {
            SPECIFIC[t.ordinal()] = t.specificFields.stream().map(f -> new Field(ascii(",\"" + f + "\":"), switch (f) {
                case "uuid_track" -> 4;
                case "uuid_track_prev" -> 5;
                case "uuid_track_current" -> 6;
                case "uuid_playlist" -> 7;
                case "uuid_track_like_status" -> LIKE;
                default -> throw new IllegalStateException("no slot for " + f);
            })).toArray(Field[]::new);
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
    private final Text text = new Text();
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
        EventType type = typeId >= 0 && typeId <= Integer.MAX_VALUE ? EventType.byId((int) typeId) : null;
        if (type == null || !literal(TYPE) || !string(0) || !type.nameEn.contentEquals(text.of(0))) { // slot 0 is the user's next
            return false;
        }
        s.type = type;
        s.like = Integer.MIN_VALUE;
        java.util.Arrays.fill(s.at, 4, 8, -1);
        if (!(literal(USER) && uuid(0) && literal(TOKEN) && string(1) && MusicEvent.isToken(text.of(1))
                && literal(IPV4) && string(2) && MusicEvent.isIpv4(text.of(2))
                && literal(COUNTRY) && string(3) && MusicEvent.isCountry(text.of(3)))) {
            return false;
        }
        for (Field f : SPECIFIC[type.ordinal()]) {
            if (!literal(f.written())) {
                return false;
            }
            if (f.slot() == LIKE) {
                long status = number();
                if (status != (type == EventType.TRACK_LIKE ? 1 : 0)) {
                    return false;
                }
                s.like = (int) status;
            } else if (!uuid(f.slot())) {
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

    /** A lower-case UUID that is not the nil one. */
    private boolean uuid(int slot) {
        return string(slot) && StrictJson.isUuid(text.of(slot)) && !StrictJson.isNilUuid(text);
    }

    /** A text of the message where it lies, for the checks that take a CharSequence (string() let only ASCII through). */
    private final class Text implements CharSequence {
        private int at;
        private int length;

        Text of(int slot) {
            at = s.at[slot];
            length = s.length[slot];
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return (char) b[at + Objects.checkIndex(index, length)];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().subSequence(start, end);
        }

        @Override
        public String toString() {
            return new String(b, at, length, StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
