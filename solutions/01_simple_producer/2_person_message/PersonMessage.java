//DEPS net.datafaker:datafaker:2.5.3
//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/events/UuidV7.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.datafaker.Faker;

/**
 * Exercise 01.2: one person as the original project wrote it into {@code my_topic}:
 * {@code {"uuid": ..., "first_name": ..., "last_name": ..., "middle_name": ..., "timestamp": ...}}, the names
 * Russian as in the video (a faker made with {@code new Faker(Locale.forLanguageTag("ru"))}).
 * Check it: {@code ./jbang course verify 01.2}
 */
public class PersonMessage {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One person, made at {@code now}, as a JSON text. */
    public static String person(Faker faker, Instant now) {
        String gender = faker.bool().bool() ? "female" : "male";
        ObjectNode person = JSON.createObjectNode();
        // a version-7 UUID starts with its creation time: ids sort in the order they were made
        person.put("uuid", UuidV7.next().toString());
        // one gender for all three names: a patronymic (middle name) of the other gender would give the person away
        person.put("first_name", faker.resolve("name." + gender + "_first_name"));
        person.put("last_name", faker.resolve("name." + gender + "_last_name"));
        person.put("middle_name", faker.resolve("name." + gender + "_middle_name"));
        // Instant prints ISO-8601 in UTC, e.g. 2026-11-24T20:31:05.123Z: no time zone to guess downstream
        person.put("timestamp", now.toString());
        return person.toString();
    }
}
