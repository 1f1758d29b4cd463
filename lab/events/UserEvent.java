//COMPILE_OPTIONS -encoding UTF-8
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One thing a user of the music service did, in lesson 03's small shape {@code {"user_id": ..., "seq": ..., "event_type": ...}}:
 * {@code seq} counts that user's events 1, 2, 3, ..., so the order a consumer sees them in can be checked.
 */
public record UserEvent(String userId, int seq, String eventType) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The message value. */
    public String toJson() {
        return JSON.createObjectNode().put("user_id", userId).put("seq", seq).put("event_type", eventType).toString();
    }

    /** Reads a message value written by {@link #toJson()}; an IllegalArgumentException says what is wrong with any other. */
    public static UserEvent fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (!node.path("user_id").isTextual() || !node.path("seq").isInt()) {
                throw new IllegalArgumentException("not a user event (user_id and seq wanted): " + json);
            }
            return new UserEvent(node.path("user_id").asText(), node.path("seq").asInt(), node.path("event_type").asText());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }
}
