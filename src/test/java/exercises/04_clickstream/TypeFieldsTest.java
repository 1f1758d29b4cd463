import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Exercise 04.2: each type's event has exactly the type-specific fields of the original's messages (the table below,
 * from the syllabus), tracks from the catalogue and a new playlist id, and the course's model (lesson 05) accepts
 * every event the generator makes with it, read back from Kafka.
 */
class TypeFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMMON = List.of("event_type_id", "event_type", "user_id", "platform_token", "ipv4", "country");
    private static final Map<EventType, List<String>> OWN = Map.of(
            EventType.TRACK_PLAYBACK, List.of("uuid_track"), EventType.PAUSE_TRACK, List.of("uuid_track"),
            EventType.RESUME_TRACK, List.of("uuid_track"),
            EventType.SKIPPING_TRACK_NEXT, List.of("uuid_track_prev", "uuid_track_current"),
            EventType.SKIPPING_TRACK_PREV, List.of("uuid_track_prev", "uuid_track_current"),
            EventType.ADDING_TRACK_TO_PLAYLIST, List.of("uuid_track", "uuid_playlist"),
            EventType.TRACK_LIKE, List.of("uuid_track_like_status"), EventType.TRACK_UNLIKE, List.of("uuid_track_like_status"));
    private static final Clickstream.User USER = new Clickstream.User("0b7e4f21-5c3d-4e8a-b1f9-2d6c8a4e7b13",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "93.184.216.34", "Russia");

    /** Two catalogue tracks, and fresh ids that are not in the catalogue. */
    private static final class Catalogue implements Clickstream.Tracks {
        final List<String> tracks = List.of("8e2d4c6a-1b3f-4a5e-8d7c-9f0e1a2b3c4d", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
        final Set<String> fresh = new HashSet<>();
        int next;

        @Override
        public String track() {
            return tracks.get(next++ % tracks.size());
        }

        @Override
        public String newId() {
            String id = java.util.UUID.randomUUID().toString();
            fresh.add(id);
            return id;
        }
    }

    @Test
    void eachTypeHasExactlyItsOwnFields() throws Exception {
        for (EventType type : EventType.values()) { // track_playback first
            Catalogue catalogue = new Catalogue();
            MusicEvent e = new TypeFields().event(type, USER, catalogue, 1_732_470_000_123L);
            JsonNode params = JSON.readTree(e.toJson()).path("event_params");
            List<String> names = new ArrayList<>();
            params.fieldNames().forEachRemaining(names::add);
            List<String> expected = new ArrayList<>(COMMON);
            expected.addAll(OWN.get(type));
            assertThat(e.type()).as("the type asked for").isEqualTo(type);
            assertThat(e.userId()).as("the user's id").isEqualTo(USER.id());
            assertThat(e.tsMs()).as("the time").isEqualTo(1_732_470_000_123L);
            for (String f : OWN.get(type)) {
                assertThat(params.path(f).isNull() || params.path(f).isMissingNode()).as("%s of a %s is set", f, type.nameEn).isFalse();
            }
            assertThat(MusicEvent.parse(e.toBytes())).as("the model accepts a %s with exactly %s", type.nameEn, expected).isEqualTo(e);
            for (String f : List.of("uuid_track", "uuid_track_prev", "uuid_track_current")) {
                if (params.has(f)) {
                    assertThat(catalogue.tracks).as("%s of a %s comes from the catalogue", f, type.nameEn).contains(params.path(f).asText());
                }
            }
            if (params.has("uuid_playlist")) {
                assertThat(catalogue.fresh).as("the playlist is a new id").contains(params.path("uuid_playlist").asText());
            }
            if (params.has("uuid_track_like_status")) {
                assertThat(params.path("uuid_track_like_status").asInt()).as("status of a %s", type.nameEn)
                        .isEqualTo(type == EventType.TRACK_LIKE ? 1 : 0);
            }
        }
    }

    @Test
    void aSkipNamesTwoTracksTheOneBeforeAndTheOneAfter() {
        new TypeFields().event(EventType.TRACK_PLAYBACK, USER, new Catalogue(), 1_732_470_000_123L); // the first case first
        Catalogue catalogue = new Catalogue();
        MusicEvent skip = new TypeFields().event(EventType.SKIPPING_TRACK_NEXT, USER, catalogue, 1_732_470_000_123L);
        assertThat(skip.uuidTrackPrev()).as("previous track: the first drawn").isEqualTo(catalogue.tracks.get(0));
        assertThat(skip.uuidTrackCurrent()).as("current track: the second drawn").isEqualTo(catalogue.tracks.get(1));
    }

    @Test
    void everyEventTheGeneratorMakesWithItIsAValidEventInKafka() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("fields04");
        LabKafka.ensureTopic(lab, topic, 3);
        Clickstream stream = new Clickstream(42, 500, 200, Instant.parse("2026-11-24T12:00:00Z").toEpochMilli(),
                Clickstream.BY_WEIGHT, new TypeFields());
        ClickstreamProducer.run(lab, new Properties(), new ClickstreamSender(), ClickstreamProducer.Options.count(topic, 5_000), stream, s -> { });

        List<ConsumerRecord<String, String>> records = LabTopics.readAll(lab, topic, Duration.ofSeconds(30));
        assertThat(records).as("events in the topic").hasSize(5_000);
        Set<EventType> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            seen.add(MusicEvent.parse(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)).type());
        }
        assertThat(seen).as("every type among them").containsExactlyInAnyOrder(EventType.values());
    }
}
