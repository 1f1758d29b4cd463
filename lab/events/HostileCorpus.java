//SOURCES EventType.java MusicEvent.java Clickstream.java ../LabConfig.java ../LabException.java ../kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The hostile corpus: every kind of message a {@code music_events} reader must get through, each with the verdict
 * the course's event model ({@link MusicEvent#parse}) gives it — valid or not, and why. One place for the tests of
 * every component (the consumer, the sink, the data check, ClickHouse's tables), so they all judge the same bytes.
 *
 * <p>Most kinds are invalid; a few are unusual but valid (fields in another order, whitespace, Cyrillic, the edges
 * of the time window), so a reader that is merely strict-looking (rejecting all that looks odd) fails too.
 * {@link #writeMixed} puts the whole corpus among valid events on a keyed 3-partition topic and says, per
 * partition and offset, what it wrote.
 */
public final class HostileCorpus {
    private HostileCorpus() {}

    /**
     * One kind of message.
     *
     * @param name     a short name, unique in the corpus
     * @param value    the message's bytes; null is a tombstone (a record with a key and no value)
     * @param valid    the verdict: true when the model accepts it as an event
     * @param why      why, in a learner's words
     * @param expected for a valid kind, the event the model must read from it (null for an invalid kind)
     */
    public record Case(String name, byte[] value, boolean valid, String why, MusicEvent expected) {
        @Override
        public String toString() {
            return name + (valid ? " (valid)" : " (invalid)") + ", " + (value == null ? "null" : value.length + " bytes");
        }
    }

    /** A fixed event the cases are made from (fixed ids and time, so the corpus is the same bytes on every run). */
    public static final MusicEvent PLAYBACK = new MusicEvent(EventType.TRACK_PLAYBACK, "3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "93.184.216.34", "Russia",
            "8e2d4c6a-1b3f-4a5e-8d7c-9f0e1a2b3c4d", null, null, null, null, 1_732_470_000_123L);
    public static final MusicEvent UNLIKE = new MusicEvent(EventType.TRACK_UNLIKE, "0b7e4f21-5c3d-4e8a-b1f9-2d6c8a4e7b13",
            "eK7pQ2mZ9xRt4vLw1nBc0a:APA91bHq3Zk8Vt2Lm5Nx9Pw4Rs7Ty1Ua6Ob0Ic3Jd8Ke2Lf5Mg9Nh4Oi7Pj1Qk6Rl0Sm3Tn8Uo2Vp5Wq9Xr4Ys7Zt1",
            "185.22.14.7", "Kazakhstan", null, null, null, null, 0, 1_732_470_000_456L);
    public static final MusicEvent SKIP = new MusicEvent(EventType.SKIPPING_TRACK_NEXT, "5d2a8c41-9e7b-4f36-a0c2-7b1e3d5f9a28",
            "4be0643f1d98573b97cdca98a65347dd4be0643f1d98573b97cdca98a65347dd", "77.88.55.60", "Belarus",
            null, "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "6f5e4d3c-2b1a-4c9d-8e7f-a1b2c3d4e5f6", null, null, 1_732_470_000_789L);

    /** The largest message the model reads as an event; anything longer is malformed before it is parsed. */
    public static final int MAX_EVENT_BYTES = MusicEvent.MAX_BYTES;

    /** Every kind, valid ones included, in a fixed order. */
    public static List<Case> cases() {
        String p = PLAYBACK.toJson();
        String u = UNLIKE.toJson();
        String s = SKIP.toJson();
        List<Case> c = new ArrayList<>();

        // --- unusual but valid: a strict reader must still accept these -------------------------------------
        c.add(valid("plain track_playback", p, "the shape the generator writes", PLAYBACK));
        c.add(valid("plain track_unlike", u, "like status 0 is how an unlike is written", UNLIKE));
        c.add(valid("plain skipping_track_next", s, "two track ids, previous and current", SKIP));
        c.add(valid("fields in another order",
                "{\"event_timestamp_ms\":{\"ts_ms\":1732470000123,\"ts\":1732470000},\"event_params\":{\"uuid_track\":\"8e2d4c6a-1b3f-4a5e-8d7c-9f0e1a2b3c4d\","
                        + "\"country\":\"Russia\",\"ipv4\":\"93.184.216.34\",\"platform_token\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
                        + "\"user_id\":\"3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01\",\"event_type\":\"track_playback\",\"event_type_id\":1}}",
                "JSON objects have no order", PLAYBACK));
        c.add(valid("whitespace and newlines", " {\n  \"event_params\" : {\n    \"event_type_id\" : 1,\n    \"event_type\" : \"track_playback\",\n"
                        + "    \"user_id\" : \"3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01\",\n"
                        + "    \"platform_token\" : \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\n"
                        + "    \"ipv4\" : \"93.184.216.34\",\t\"country\" : \"Russia\",\r\n"
                        + "    \"uuid_track\" : \"8e2d4c6a-1b3f-4a5e-8d7c-9f0e1a2b3c4d\"\n  },\n"
                        + "  \"event_timestamp_ms\" : { \"ts\" : 1732470000 , \"ts_ms\" : 1732470000123 }\n}\n",
                "whitespace between tokens, and around the object, is not content", PLAYBACK));
        c.add(valid("country in Cyrillic", p.replace("\"Russia\"", "\"Россия\""), "any UTF-8 text is a country",
                with(PLAYBACK, "Россия", PLAYBACK.tsMs())));
        c.add(valid("country as \\u escapes", p.replace("\"Russia\"", "\"\\u0420\\u043e\\u0441\\u0441\\u0438\\u044f\""),
                "a JSON escape is the same text as the character", with(PLAYBACK, "Россия", PLAYBACK.tsMs())));
        c.add(valid("country with 4-byte characters", p.replace("\"Russia\"", "\"Russia \uD83C\uDDF7\uD83C\uDDFA\""),
                "characters beyond U+FFFF (a flag) are text like any other", with(PLAYBACK, "Russia \uD83C\uDDF7\uD83C\uDDFA", PLAYBACK.tsMs())));
        long first = MusicEvent.EARLIEST_MS;
        c.add(valid("earliest time accepted", time(p, first / 1000, first), "2000-01-01T00:00:00Z is the first moment of the window",
                with(PLAYBACK, "Russia", first)));
        long last = MusicEvent.LATEST_MS - 1;
        c.add(valid("latest time accepted", time(p, Math.floorDiv(last, 1000), last), "the last millisecond before 2100",
                with(PLAYBACK, "Russia", last)));

        // --- not one JSON object ---------------------------------------------------------------------------
        c.add(invalid("not JSON", "hello, not json", "text that is not JSON"));
        c.add(invalid("truncated JSON", p.substring(0, p.length() / 2), "cut off in the middle: the object never closes"));
        c.add(invalid("JSON null", "null", "valid JSON, but no object"));
        c.add(new Case("tombstone", null, false, "a record with a key and no value (a delete marker on a compacted topic)", null));
        c.add(invalid("empty value", "", "zero bytes"));
        c.add(invalid("whitespace only", "  \n\t ", "nothing but whitespace"));
        c.add(invalid("empty object", "{}", "an object without event_params and event_timestamp_ms"));
        c.add(invalid("empty array", "[]", "an array, not an object"));
        c.add(invalid("array of two events", "[" + p + "," + u + "]",
                "one message is one event; a reader that takes each element as a row invents events"));
        c.add(invalid("a bare number", "42", "a number, not an object"));
        c.add(invalid("deeply nested arrays", "[".repeat(5_000) + "]".repeat(5_000), "nesting deeper than any event (and no object)"));
        c.add(new Case("byte order mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(p)), false,
                "a UTF-8 byte order mark before the object: JSON senders must not add one (RFC 8259, 8.1)", null));
        c.add(new Case("invalid UTF-8 inside a field", replaceAscii(bytes(p), "Russia", new byte[] {'R', 'u', (byte) 0xC3, 0x28, 'i', 'a'}),
                false, "0xC3 0x28 is a lead byte without its continuation: not UTF-8 text", null));
        c.add(new Case("overlong UTF-8", replaceAscii(bytes(p), "Russia", new byte[] {'R', 'u', 's', (byte) 0xC1, (byte) 0xB3, 'i', 'a'}),
                false, "0xC1 0xB3 spells 's' in two bytes: an overlong form, which UTF-8 forbids (it hides characters from checks)", null));
        c.add(new Case("UTF-8 encoded surrogate", replaceAscii(bytes(p), "Russia", new byte[] {'R', 'u', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'a'}),
                false, "0xED 0xA0 0x80 is a UTF-16 surrogate written as UTF-8 (CESU-8): not a character", null));
        c.add(new Case("NUL byte before the event", concat(new byte[] {0}, bytes(p)), false, "a NUL is no JSON whitespace", null));
        c.add(new Case("invalid UTF-8 bytes only", new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE}, false,
                "bytes that are no text at all", null));
        c.add(invalid("trailing garbage", p + " xyz", "an event followed by something that is not whitespace"));
        c.add(invalid("two events back to back", p + u, "two objects in one message: which one is the event?"));
        c.add(invalid("NaN timestamp", p.replace("\"ts_ms\":1732470000123", "\"ts_ms\":NaN"), "NaN is not a JSON number"));

        // --- the shape: which fields, exactly ----------------------------------------------------------------
        c.add(invalid("duplicate key", p.replace("\"user_id\":", "\"user_id\":\"0b7e4f21-5c3d-4e8a-b1f9-2d6c8a4e7b13\",\"user_id\":"),
                "user_id twice with two values: readers disagree on which one counts"));
        String params = p.substring(p.indexOf('{', 1), p.indexOf("},") + 1); // the event_params object
        c.add(invalid("missing event_timestamp_ms", "{\"event_params\":" + params + "}", "no time: the event cannot be placed"));
        c.add(invalid("event_params not an object", p.replace(params, "1"), "event_params must be an object"));
        c.add(invalid("extra top-level field", p.substring(0, p.length() - 1) + ",\"debug\":true}", "a field no event has would be lost"));
        c.add(invalid("extra unknown field", p.replace("\"country\":", "\"debug\":true,\"country\":"), "a field no event has would be lost"));
        c.add(invalid("missing type-specific field", p.replace(",\"uuid_track\":\"8e2d4c6a-1b3f-4a5e-8d7c-9f0e1a2b3c4d\"", ""),
                "a track_playback names its track"));
        c.add(invalid("extra type-specific field", u.replace("\"uuid_track_like_status\":0",
                "\"uuid_track_like_status\":0,\"uuid_track\":\"8e2d4c6a-1b3f-4a5e-8d7c-9f0e1a2b3c4d\""), "a track_unlike has no uuid_track"));
        c.add(invalid("type-specific field null", p.replace("\"uuid_track\":\"8e2d4c6a-1b3f-4a5e-8d7c-9f0e1a2b3c4d\"", "\"uuid_track\":null"),
                "null is no track id"));
        c.add(invalid("user_id null", p.replace("\"user_id\":\"3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01\"", "\"user_id\":null"), "every event has a user"));

        // --- the type ----------------------------------------------------------------------------------------
        c.add(invalid("unknown event type", p.replace("\"event_type_id\":1,\"event_type\":\"track_playback\"",
                "\"event_type_id\":9,\"event_type\":\"track_share\""), "the service has types 1 to 8"));
        c.add(invalid("event type 0", p.replace("\"event_type_id\":1,", "\"event_type_id\":0,"), "the service has types 1 to 8"));
        c.add(invalid("event_type contradicts the id", p.replace("\"event_type\":\"track_playback\"", "\"event_type\":\"pause_track\""),
                "id 1 is track_playback: which one is it?"));
        c.add(invalid("event_type missing", p.replace("\"event_type\":\"track_playback\",", ""), "every event names its type"));
        c.add(invalid("event_type_id as a string", p.replace("\"event_type_id\":1,", "\"event_type_id\":\"1\","), "an id is a number, not text"));
        c.add(invalid("event_type_id 1.0", p.replace("\"event_type_id\":1,", "\"event_type_id\":1.0,"), "an id is a whole number"));
        c.add(invalid("event_type_id 64-bit", p.replace("\"event_type_id\":1,", "\"event_type_id\":4294967297,"),
                "4294967297 = 2^32 + 1: cut to 32 bits it would read as 1 (track_playback)"));

        // --- ids, device, address, country --------------------------------------------------------------------
        c.add(invalid("short user id", p.replace("3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01", "u1"), "a user id is a UUID"));
        c.add(invalid("user id not a UUID", p.replace("3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01", "not-a-uuid-but-just-as-long-as-one!"),
                "36 characters, but not 8-4-4-4-12 hex digits"));
        c.add(invalid("user id in upper case", p.replace("3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01", "3F1C9A52-7B4E-4D2A-9C1E-5A8B6D7E9F01"),
                "one user, one spelling: ids are lower-case, so the lake and ClickHouse count the same users"));
        c.add(invalid("nil UUID user", p.replace("3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01", "00000000-0000-0000-0000-000000000000"),
                "the nil UUID is what a failed conversion gives, not a user"));
        c.add(invalid("user_id a number", p.replace("\"3f1c9a52-7b4e-4d2a-9c1e-5a8b6d7e9f01\"", "12345"), "a user id is text"));
        c.add(invalid("track id not a UUID", p.replace("8e2d4c6a-1b3f-4a5e-8d7c-9f0e1a2b3c4d", "track-42"), "a track id is a UUID"));
        c.add(invalid("ipv4 out of range", p.replace("93.184.216.34", "256.184.216.34"), "each part of an IPv4 address is 0 to 255"));
        c.add(invalid("blank country", p.replace("\"Russia\"", "\"  \""), "a country has a name"));
        c.add(invalid("control character in country", p.replace("\"Russia\"", "\"Rus\\u0000sia\""), "a NUL byte is no part of a name"));
        c.add(invalid("platform_token with a space", p.replace("9f86d081884c7d659a2feaa0c55ad015", "9f86d081884c7d65 9a2feaa0c55ad015"),
                "device tokens are letters, digits, ':', '_' and '-'"));

        // --- like status -----------------------------------------------------------------------------------------
        c.add(invalid("like status 64-bit", u.replace("\"uuid_track_like_status\":0", "\"uuid_track_like_status\":4294967296"),
                "4294967296 = 2^32: cut to 32 bits it would read as 0 (unlike)"));
        c.add(invalid("like status contradicts the type", u.replace("\"uuid_track_like_status\":0", "\"uuid_track_like_status\":1"),
                "an unlike has status 0; 1 is a like"));
        c.add(invalid("like status 2", u.replace("\"uuid_track_like_status\":0", "\"uuid_track_like_status\":2"), "the status is 1 or 0"));

        // --- time -----------------------------------------------------------------------------------------------
        c.add(invalid("ts_ms as a string", p.replace("\"ts_ms\":1732470000123", "\"ts_ms\":\"yesterday\""), "a time is a number"));
        c.add(invalid("ts_ms with a fraction", p.replace("\"ts_ms\":1732470000123", "\"ts_ms\":1732470000123.5"), "milliseconds are whole"));
        c.add(invalid("ts_ms 64-bit", p.replace("\"ts_ms\":1732470000123", "\"ts_ms\":18446745806179551739"),
                "2^64 + 1732470000123: cut to 64 bits it would read as a valid time"));
        c.add(invalid("ts 64-bit", p.replace("\"ts\":1732470000,", "\"ts\":18446744075442021616,"),
                "2^64 + 1732470000: cut to 64 bits it would read as the right second"));
        c.add(invalid("ts disagrees with ts_ms", p.replace("\"ts\":1732470000,", "\"ts\":1732470001,"), "ts is ts_ms in whole seconds"));
        c.add(invalid("negative timestamp", time(p, -1, -1000), "before 2000: no event of this service"));
        c.add(invalid("timestamp zero", time(p, 0, 0), "1970-01-01 is what a missing time turns into, not an event's time"));
        long y1899 = Instant.parse("1899-12-31T23:59:59Z").toEpochMilli();
        c.add(invalid("year 1899", time(p, y1899 / 1000, y1899), "before 1900: outside ClickHouse's DateTime64"));
        long y2300 = Instant.parse("2300-01-01T00:00:00Z").toEpochMilli();
        c.add(invalid("year 2300", time(p, y2300 / 1000, y2300), "after 2299: outside ClickHouse's DateTime64"));
        long y9999 = Instant.parse("9999-12-31T23:59:59Z").toEpochMilli();
        c.add(invalid("far future", time(p, y9999 / 1000, y9999), "year 9999"));
        c.add(invalid("first millisecond of 2100", time(p, MusicEvent.LATEST_MS / 1000, MusicEvent.LATEST_MS), "the window ends before 2100"));

        // --- size -------------------------------------------------------------------------------------------------
        c.add(invalid("700 KB event_type", p.replace("\"event_type\":\"track_playback\"", "\"event_type\":\"" + "x".repeat(700_000) + "\""),
                "an event is a few hundred bytes; a reader that echoes this field in its error doubles it past the producer's limit"));
        c.add(invalid("1 MB value", padding(1_000_000), "a megabyte of padding, no event"));
        c.add(invalid("value at the broker's limit", padding(1_048_400),
                "fits the topic by a few dozen bytes: a dead letter with the original bytes and any headers does not"));
        return Collections.unmodifiableList(c);
    }

    /** The invalid kinds only. */
    public static List<Case> hostile() {
        return cases().stream().filter(c -> !c.valid()).toList();
    }

    /** One message {@link #writeMixed} wrote: where it is, and what it is. */
    public record Placed(int partition, long offset, byte[] key, byte[] value, Case kind, MusicEvent event) {
        /** The verdict the model must give: a generated event, or a valid kind of the corpus. */
        public boolean valid() {
            return kind == null || kind.valid();
        }

        /** The event the model must read (null for an invalid message). */
        public MusicEvent expected() {
            return kind == null ? event : kind.expected();
        }

        public String describe() {
            return "p" + partition + "@" + offset + " " + (kind == null ? "generated " + event.type().nameEn : kind.name());
        }
    }

    /**
     * Creates {@code topic} with 3 partitions and writes {@code validEvents} generated events (keyed by user, on a
     * simulated clock from 2026-11-24) with every kind of the corpus among them, spread over the first two thirds,
     * so valid events follow the last hostile one in every partition. A corpus message is keyed {@code corpus-<n>}.
     *
     * @return every message written, in the order written, with its partition and offset
     */
    public static List<Placed> writeMixed(LabConfig lab, String topic, int validEvents, long seed) {
        LabKafka.ensureTopic(lab, topic, 3);
        List<Case> kinds = cases();
        Clickstream stream = new Clickstream(seed, 500, 200, Instant.parse("2026-11-24T12:00:00Z").toEpochMilli());
        int total = validEvents + kinds.size();
        int spacing = Math.max(1, (total * 2 / 3) / kinds.size());
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        List<Case> what = new ArrayList<>();
        List<MusicEvent> events = new ArrayList<>();
        int nextKind = 0;
        for (int i = 0; i < total; i++) {
            boolean corpusHere = nextKind < kinds.size() && (i % spacing == spacing / 2 || total - i <= kinds.size() - nextKind);
            if (corpusHere) {
                Case k = kinds.get(nextKind);
                keys.add(bytes("corpus-" + nextKind++));
                values.add(k.value());
                what.add(k);
                events.add(null);
            } else {
                MusicEvent e = stream.next();
                keys.add(bytes(e.userId()));
                values.add(e.toBytes());
                what.add(null);
                events.add(e);
            }
        }
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // room for the largest kind; the topic's own limit (the broker's default, ~1 MiB per batch) still applies
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        List<Placed> placed = new ArrayList<>(total);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, keys.get(i), values.get(i))));
            }
            producer.flush();
            for (int i = 0; i < total; i++) {
                RecordMetadata m = sent.get(i).get(30, TimeUnit.SECONDS);
                placed.add(new Placed(m.partition(), m.offset(), keys.get(i), values.get(i), what.get(i), events.get(i)));
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new LabException("Could not write the hostile corpus to '" + topic + "' at " + lab.kafkaBootstrap() + ": "
                    + LabKafka.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while writing the hostile corpus", e);
        }
        return placed;
    }

    private static Case valid(String name, String json, String why, MusicEvent expected) {
        return new Case(name, bytes(json), true, why, expected);
    }

    private static Case invalid(String name, String json, String why) {
        return new Case(name, bytes(json), false, why, null);
    }

    private static MusicEvent with(MusicEvent e, String country, long tsMs) {
        return new MusicEvent(e.type(), e.userId(), e.platformToken(), e.ipv4(), country, e.uuidTrack(), e.uuidTrackPrev(),
                e.uuidTrackCurrent(), e.uuidPlaylist(), e.uuidTrackLikeStatus(), tsMs);
    }

    private static String time(String json, long ts, long tsMs) {
        return json.replace("\"event_timestamp_ms\":{\"ts\":1732470000,\"ts_ms\":1732470000123}",
                "\"event_timestamp_ms\":{\"ts\":" + ts + ",\"ts_ms\":" + tsMs + "}");
    }

    /** A JSON object of exactly {@code size} bytes that is no event. */
    private static String padding(int size) {
        String head = "{\"padding\":\"";
        String tail = "\"}";
        return head + "x".repeat(size - head.length() - tail.length()) + tail;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The bytes with the first occurrence of an ASCII word replaced by other bytes. */
    private static byte[] replaceAscii(byte[] in, String word, byte[] by) {
        String text = new String(in, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(word);
        if (at < 0) {
            throw new IllegalStateException("no " + word + " in the template");
        }
        return concat(concat(java.util.Arrays.copyOfRange(in, 0, at), by), java.util.Arrays.copyOfRange(in, at + word.length(), in.length));
    }
}
