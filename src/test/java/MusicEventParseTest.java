import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * MusicEvent.parse reads with a streaming parser (EventParser, for the sink's speed: docs/benchmarks.md). It must give
 * every message the verdict AND the reason of the model's rules written the straightforward way, over a JSON tree with
 * StrictJson (the reference below, as lab/events/MusicEvent.java had it): on the hostile corpus, on generated events
 * and on the near misses of each form (ids, tokens, addresses, numbers, nesting, text after the object).
 */
class MusicEventParseTest {
    private static final String EVENT = HostileCorpus.PLAYBACK.toJson();

    @Test
    void theStreamingParseGivesTheTreeParsesVerdictAndReasonOnEveryMessage() {
        Map<String, byte[]> messages = new LinkedHashMap<>();
        HostileCorpus.cases().forEach(c -> messages.put("corpus: " + c.name(), c.value()));
        Clickstream stream = new Clickstream(21);
        for (int i = 0; i < 20_000; i++) {
            messages.put("generated " + i, stream.next().toBytes());
        }
        nearMisses().forEach((kind, text) -> messages.put(kind, text.getBytes(StandardCharsets.UTF_8)));
        messages.put("a 4-byte character then garbage", (EVENT.replace("\"Russia\"", "\"\uD83C\uDFB5\"") + " x").getBytes(StandardCharsets.UTF_8));
        messages.put("Cyrillic then garbage", (EVENT.replace("\"Russia\"", "\"Россия\"") + " x").getBytes(StandardCharsets.UTF_8));

        List<String> differ = new ArrayList<>();
        int valid = 0;
        for (Map.Entry<String, byte[]> m : messages.entrySet()) {
            Object tree = verdict(() -> treeParse(m.getValue()));
            Object streaming = verdict(() -> MusicEvent.parse(m.getValue()));
            if (!tree.equals(streaming)) {
                differ.add(m.getKey() + ": tree " + tree + " | streaming " + streaming);
            }
            valid += tree instanceof MusicEvent ? 1 : 0;
        }
        assertThat(differ).as("messages judged differently (verdict or reason) by the streaming parse and the tree parse").isEmpty();
        assertThat(valid).as("valid messages among them: every generated one and the corpus' valid kinds").isGreaterThanOrEqualTo(20_000);
    }

    @Test
    void everyOneByteChangeOfAnEventOfEachTypeGetsTheTreeParsesVerdict() {
        // the canonical layout is read from its bytes (CanonicalEvent): it must never accept what the rules reject, nor
        // read a value differently; a byte replaced, dropped or doubled anywhere in an event of each type
        Map<EventType, byte[]> events = new java.util.EnumMap<>(EventType.class);
        Clickstream stream = new Clickstream(7);
        while (events.size() < EventType.values().length) {
            MusicEvent e = stream.next();
            events.putIfAbsent(e.type(), e.toBytes());
        }
        byte[] replacements = "\"\\ 019aAf{},:-.eE\u007f\u001f".getBytes(StandardCharsets.US_ASCII);
        List<String> differ = new ArrayList<>();
        int messages = 0;
        int accepted = 0;
        for (Map.Entry<EventType, byte[]> event : events.entrySet()) {
            byte[] v = event.getValue();
            try {
                assertThat(CanonicalEvent.read(v)).as("a %s as MusicEvent.toJson writes it, read from its bytes", event.getKey())
                        .isNotNull().isEqualTo(treeParse(v));
            } catch (MalformedEventException e) {
                throw new AssertionError(e);
            }
            for (int at = 0; at < v.length; at++) {
                List<byte[]> changed = new ArrayList<>();
                for (byte r : replacements) {
                    if (r != v[at]) {
                        byte[] c = v.clone();
                        c[at] = r;
                        changed.add(c);
                    }
                }
                byte[] high = v.clone();
                high[at] = (byte) 0xC3;
                changed.add(high);
                byte[] dropped = new byte[v.length - 1];
                System.arraycopy(v, 0, dropped, 0, at);
                System.arraycopy(v, at + 1, dropped, at, v.length - at - 1);
                changed.add(dropped);
                byte[] doubled = new byte[v.length + 1];
                System.arraycopy(v, 0, doubled, 0, at + 1);
                System.arraycopy(v, at, doubled, at + 1, v.length - at);
                changed.add(doubled);
                for (byte[] c : changed) {
                    Object tree = verdict(() -> treeParse(c));
                    Object streaming = verdict(() -> MusicEvent.parse(c));
                    messages++;
                    accepted += tree instanceof MusicEvent ? 1 : 0;
                    if (!tree.equals(streaming) && differ.size() < 20) {
                        differ.add(event.getKey() + " " + new String(c, StandardCharsets.UTF_8) + ": tree " + tree + " | parse " + streaming);
                    }
                }
            }
        }
        assertThat(differ).as("one-byte changes of an event judged differently by MusicEvent.parse and the tree parse (of %,d)", messages).isEmpty();
        assertThat(accepted).as("changes that leave a valid event (a hex digit of an id, a digit of an address): the fast road is taken")
                .isGreaterThan(1_000);
    }

    @Test
    void somethingAfterTheEventIsReportedWithTheByteWhereTheEventEnded() {
        // it said "at character -1" (a byte parser has no character offsets): the reason must point at the bytes
        int end = EVENT.getBytes(StandardCharsets.UTF_8).length;
        for (String after : List.of(" x", EVENT, "}")) {
            byte[] value = (EVENT + after).getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> MusicEvent.parse(value)).as("an event followed by %s", after)
                    .hasMessage("not one JSON value: something follows it, after byte " + end);
        }
    }

    /** One change away from a valid event, for every form a field must have. */
    private static Map<String, String> nearMisses() {
        Map<String, String> m = new LinkedHashMap<>();
        String[] ips = {"0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4 ", " 1.2.3.4",
                "199.249.250.9", "1.2.3.a", "1000.1.1.1", "00.1.1.1", "10.20.30.40", "1.2.3.", ".1.2.3", "٣.1.1.1"};
        for (String ip : ips) {
            m.put("ipv4 " + ip, EVENT.replace("93.184.216.34", ip));
        }
        String[] tokens = {"a", "A:b_c-d", "", "with space", "x".repeat(512), "x".repeat(513), "токен", "a/b", "a.b"};
        for (String t : tokens) {
            m.put("token " + t.length() + " " + (t.length() > 12 ? t.substring(0, 12) : t), EVENT.replace("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", t));
        }
        String[] ids = {"3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f0", "3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f011", "3f1c9a52_7b4e-4d2a-9c1e-5a8b6d7e9f01",
                "3f1c9a527-b4e-4d2a-9c1e-5a8b6d7e9f01", "gf1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01", "3F1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01",
                "00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000001"};
        for (String id : ids) {
            m.put("user id " + id, EVENT.replace("3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01", id));
        }
        String[] typeIds = {"1", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e0", "1.5", "true", "null",
                "[1]", "{\"a\":1}", "\"1\"", "01"};
        for (String v : typeIds) {
            m.put("event_type_id " + v, EVENT.replace("\"event_type_id\":1,", "\"event_type_id\":" + v + ","));
        }
        String[] times = {"1732470000123.0", "1.732470000123E12", "-0", "9223372036854775807", "9223372036854775808", "\"now\"", "[]", "{}"};
        for (String v : times) {
            m.put("ts_ms " + v, EVENT.replace("\"ts_ms\":1732470000123", "\"ts_ms\":" + v));
        }
        m.put("country of 64 characters", EVENT.replace("\"Russia\"", "\"" + "ю".repeat(64) + "\""));
        m.put("country of 65 characters", EVENT.replace("\"Russia\"", "\"" + "ю".repeat(65) + "\""));
        m.put("country with a tab", EVENT.replace("\"Russia\"", "\"Rus\\tsia\""));
        m.put("country with quotes and backslash", EVENT.replace("\"Russia\"", "\"\\\"R\\\\\""));
        m.put("country a number", EVENT.replace("\"Russia\"", "7"));
        m.put("country an array", EVENT.replace("\"Russia\"", "[\"Russia\"]"));
        m.put("four extra fields", EVENT.replace("\"country\":", "\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"country\":"));
        m.put("an extra field with a long name", EVENT.replace("\"country\":", "\"" + "n".repeat(300) + "\":1,\"country\":"));
        m.put("nested deeper than the event", EVENT.replace("\"country\":", "\"x\":{\"y\":{\"z\":[1,{\"w\":null}]}},\"country\":"));
        m.put("a duplicate key deep inside", EVENT.replace("\"country\":", "\"x\":{\"y\":1,\"y\":2},\"country\":"));
        m.put("a syntax error after a shape error", "{\"event_params\":1,\"event_timestamp_ms\":{\"ts\":1,}");
        m.put("event_timestamp_ms null", EVENT.replaceFirst("\"event_timestamp_ms\":\\{[^}]*}", "\"event_timestamp_ms\":null"));
        m.put("event_params an array", EVENT.replaceFirst("\"event_params\":\\{[^}]*}", "\"event_params\":[]"));
        m.put("only whitespace and a newline", "\n");
        m.put("a string", "\"event\"");
        m.put("true", "true");
        m.put("an unclosed string", "{\"event_params\":\"abc");
        m.put("garbage after whitespace", EVENT + "\n\n  }");
        m.put("a comment after", EVENT + " // done");
        m.put("a second value, a number", EVENT + " 5");
        return m;
    }

    interface Parse {
        MusicEvent parse() throws MalformedEventException;
    }

    /** The event, or "malformed: " and the reason. */
    private static Object verdict(Parse p) {
        try {
            return p.parse();
        } catch (MalformedEventException e) {
            return "malformed: " + e.getMessage();
        }
    }

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9:_-]{1,512}");
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final List<String> TOP = List.of("event_params", "event_timestamp_ms");
    private static final List<String> TIME = List.of("ts", "ts_ms");

    /** The reference: the model's rules over a JSON tree, as MusicEvent.parse had them before the streaming parser. */
    static MusicEvent treeParse(byte[] value) throws MalformedEventException {
        JsonNode root = StrictJson.object(value, MusicEvent.MAX_BYTES);
        StrictJson.exactly(root, "the message", TOP);
        JsonNode params = StrictJson.object(root, "event_params");
        JsonNode time = StrictJson.object(root, "event_timestamp_ms");

        int typeId = StrictJson.int32(params, "event_type_id");
        EventType type = EventType.byId(typeId);
        if (type == null) {
            throw new MalformedEventException("unknown event type " + typeId + " (the service has 1 to 8)");
        }
        String typeName = StrictJson.text(params, "event_type");
        if (!typeName.equals(type.nameEn)) {
            throw new MalformedEventException("event_type " + StrictJson.shown(params.get("event_type"))
                    + " does not match event_type_id " + type.id + " (" + type.nameEn + ")");
        }
        StrictJson.exactly(params, "event_params of a " + type.nameEn, type.fields());

        String user = StrictJson.uuid(params, "user_id");
        String token = StrictJson.matching(params, "platform_token", TOKEN.asMatchPredicate(), "1-512 letters, digits, ':', '_' or '-'");
        String ipv4 = StrictJson.matching(params, "ipv4", IPV4.asMatchPredicate(), "an IPv4 address (four numbers 0-255)");
        String country = StrictJson.text(params, "country");
        if (country.isBlank() || country.codePointCount(0, country.length()) > 64 || country.chars().anyMatch(Character::isISOControl)) {
            throw new MalformedEventException("\"country\" must be 1-64 characters, not blank, no control characters, got "
                    + StrictJson.shown(params.get("country")));
        }
        Integer likeStatus = null;
        if (type == EventType.TRACK_LIKE || type == EventType.TRACK_UNLIKE) {
            int expected = type == EventType.TRACK_LIKE ? 1 : 0;
            likeStatus = StrictJson.int32(params, "uuid_track_like_status");
            if (likeStatus != expected) {
                throw new MalformedEventException("\"uuid_track_like_status\" must be " + expected + " for " + type.nameEn + ", got " + likeStatus);
            }
        }
        boolean hasTrack = type.specificFields.contains("uuid_track");
        boolean skips = type.specificFields.contains("uuid_track_prev");

        StrictJson.exactly(time, "event_timestamp_ms", TIME);
        long tsMs = StrictJson.int64(time, "ts_ms");
        if (tsMs < MusicEvent.EARLIEST_MS || tsMs >= MusicEvent.LATEST_MS) {
            throw new MalformedEventException("event time " + tsMs + " ms is outside 2000-01-01 .. 2099-12-31 UTC");
        }
        long ts = StrictJson.int64(time, "ts");
        if (ts != Math.floorDiv(tsMs, 1000)) {
            throw new MalformedEventException("\"ts\" " + ts + " is not ts_ms in whole seconds (" + Math.floorDiv(tsMs, 1000) + ")");
        }
        return new MusicEvent(type, user, token, ipv4, country,
                hasTrack ? StrictJson.uuid(params, "uuid_track") : null,
                skips ? StrictJson.uuid(params, "uuid_track_prev") : null,
                skips ? StrictJson.uuid(params, "uuid_track_current") : null,
                type == EventType.ADDING_TRACK_TO_PLAYLIST ? StrictJson.uuid(params, "uuid_playlist") : null,
                likeStatus, tsMs);
    }
}
