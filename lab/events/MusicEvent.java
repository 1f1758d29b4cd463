//SOURCES EventType.java MalformedEventException.java StrictJson.java EventParser.java CanonicalEvent.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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

    private static final JsonFactory JSON_FACTORY = new ObjectMapper().getFactory();

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

    /** The largest message read as an event; a longer one is malformed before it is parsed (an event is ~500 bytes). */
    public static final int MAX_BYTES = 64 * 1024;
    /** The first moment an event may have: 2000-01-01T00:00:00Z. */
    public static final long EARLIEST_MS = 946_684_800_000L;
    /** The end of the window, exclusive: 2100-01-01T00:00:00Z. Inside ClickHouse's DateTime64 (1900-2299) and DateTime. */
    public static final long LATEST_MS = 4_102_444_800_000L;

    /**
     * Parses a message's bytes; a message that is not a valid event throws with the reason. The course's one
     * verdict on what is valid, which every reader (the consumer, the sink, the data check) and ClickHouse's
     * views give too (the cases are in {@link HostileCorpus}). An event is valid when:
     * <ol>
     *   <li>the value is 1 to {@value #MAX_BYTES} bytes of UTF-8 with no byte order mark, holding exactly one JSON
     *       object with no duplicate keys (whitespace around it is fine, anything else after it is not);</li>
     *   <li>the object has exactly {@code event_params} and {@code event_timestamp_ms}, both objects;</li>
     *   <li>{@code event_type_id} is a whole number 1-8 that fits 32 bits, and {@code event_type} is that type's name;</li>
     *   <li>{@code event_params} has exactly the common fields and the type's own ({@link EventType#specificFields});</li>
     *   <li>{@code user_id} and every {@code uuid_*} id are lower-case UUIDs, not the nil UUID; {@code platform_token}
     *       is 1-512 letters, digits, ':', '_' or '-'; {@code ipv4} is a dotted quad of 0-255; {@code country} is 1-64
     *       characters, not blank, no control characters;</li>
     *   <li>{@code uuid_track_like_status} is 1 for track_like and 0 for track_unlike;</li>
     *   <li>{@code event_timestamp_ms} has exactly {@code ts} and {@code ts_ms}, whole numbers that fit 64 bits;
     *       {@code ts_ms} is in [2000-01-01, 2100-01-01) UTC, and {@code ts} is {@code ts_ms} in whole seconds.</li>
     * </ol>
     * Nothing is truncated or defaulted into a valid value. What it accepts, printing and storing take without an
     * exception.
     */
    public static MusicEvent parse(byte[] value) throws MalformedEventException {
        // read with a streaming parser, no tree per message: the sink parses every record (EventParser says how)
        return EventParser.parse(value);
    }

    /** A device token: 1-512 letters, digits, ':', '_' or '-' (Android's registration tokens and iOS's hex ones). */
    static boolean isToken(CharSequence s) {
        if (s.isEmpty() || s.length() > 512) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || !TOKEN_CHAR[c]) {
                return false;
            }
        }
        return true;
    }

    private static final boolean[] TOKEN_CHAR = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            TOKEN_CHAR[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '_' || c == '-';
        }
    }

    /** Four numbers 0-255 with dots between, no leading zeros ("93.184.216.34"). */
    static boolean isIpv4(CharSequence s) {
        int parts = 0;
        int i = 0;
        while (i <= s.length()) {
            int start = i;
            int value = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + (s.charAt(i++) - '0');
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == s.length()) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
        return false;
    }

    /** 1-64 characters, not blank (whitespace only, or nothing), no control characters. */
    static boolean isCountry(CharSequence s) {
        boolean blank = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            blank &= Character.isWhitespace(c); // as String.isBlank: no whitespace lies outside the BMP
        }
        return !blank && Character.codePointCount(s, 0, s.length()) <= 64;
    }

    /**
     * The rest of an event once its type, like status and time are known: the user and track ids, the device token,
     * the address and the country, each read strictly from {@code params} (which has exactly the type's fields).
     */
    public static MusicEvent fromParams(EventType type, JsonNode params, Integer likeStatus, long tsMs) throws MalformedEventException {
        String user = StrictJson.uuid(params, "user_id");
        String token = StrictJson.matching(params, "platform_token", MusicEvent::isToken, "1-512 letters, digits, ':', '_' or '-'");
        String ipv4 = StrictJson.matching(params, "ipv4", MusicEvent::isIpv4, "an IPv4 address (four numbers 0-255)");
        String country = StrictJson.text(params, "country");
        if (!isCountry(country)) {
            throw new MalformedEventException("\"country\" must be 1-64 characters, not blank, no control characters, got "
                    + StrictJson.shown(params.get("country")));
        }
        boolean hasTrack = type.specificFields.contains("uuid_track");
        boolean skips = type.specificFields.contains("uuid_track_prev");
        return new MusicEvent(type, user, token, ipv4, country,
                hasTrack ? StrictJson.uuid(params, "uuid_track") : null,
                skips ? StrictJson.uuid(params, "uuid_track_prev") : null,
                skips ? StrictJson.uuid(params, "uuid_track_current") : null,
                type == EventType.ADDING_TRACK_TO_PLAYLIST ? StrictJson.uuid(params, "uuid_playlist") : null,
                likeStatus, tsMs);
    }
}
