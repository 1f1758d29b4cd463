import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * MusicEvent.toJson writes with Jackson's streaming generator (for speed, see docs/benchmarks.md): it must give the very
 * same text as the straightforward tree version below, for every event type, and parse back to the same event.
 */
class MusicEventJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theStreamingJsonIsTheTreeJsonCharForChar() throws Exception {
        Clickstream stream = new Clickstream(11);
        for (int i = 0; i < 20_000; i++) {
            MusicEvent e = stream.next();
            String json = e.toJson();
            assertThat(json).as("JSON of event %d (%s)", i, e.type()).isEqualTo(treeJson(e));
            assertThat(MusicEvent.parse(e.toBytes())).as("event %d parsed back", i).isEqualTo(e);
        }
    }

    /** The reference: the original shape built as a tree, fields in the original's order. */
    static String treeJson(MusicEvent e) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode params = root.putObject("event_params");
        params.put("event_type_id", e.type().id);
        params.put("event_type", e.type().nameEn);
        params.put("user_id", e.userId());
        params.put("platform_token", e.platformToken());
        params.put("ipv4", e.ipv4());
        params.put("country", e.country());
        for (String field : e.type().specificFields) {
            switch (field) {
                case "uuid_track" -> params.put(field, e.uuidTrack());
                case "uuid_track_prev" -> params.put(field, e.uuidTrackPrev());
                case "uuid_track_current" -> params.put(field, e.uuidTrackCurrent());
                case "uuid_playlist" -> params.put(field, e.uuidPlaylist());
                case "uuid_track_like_status" -> params.put(field, e.uuidTrackLikeStatus());
                default -> throw new IllegalStateException(field);
            }
        }
        ObjectNode time = root.putObject("event_timestamp_ms");
        time.put("ts", e.ts());
        time.put("ts_ms", e.tsMs());
        return root.toString();
    }
}
