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
        // TODO 01.2.1: "uuid": a version-7 UUID (UuidV7.next()), as text. Then remove the Todo line.
        Todo.todo("01.2", 1, "put a version-7 UUID into \"uuid\"");
        // TODO 01.2.2: "first_name", "last_name", "middle_name": names of one gender from the faker, e.g.
        //  faker.resolve("name." + gender + "_first_name"), and the same with _last_name and _middle_name.
        Todo.todo("01.2", 2, "put the three Russian names of one gender into the message");
        // TODO 01.2.3: "timestamp": 'now' as ISO-8601 in UTC (what Instant.toString() prints).
        Todo.todo("01.2", 3, "put 'now' as ISO-8601 in UTC into \"timestamp\"");
        return person.toString();
    }
}
