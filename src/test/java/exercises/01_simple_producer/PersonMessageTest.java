import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.datafaker.Faker;
import org.junit.jupiter.api.Test;

/** Exercise 01.2: the person message has the original's fields, a fresh version-7 uuid, the given time in UTC. */
class PersonMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Faker FAKER = new Faker(Locale.forLanguageTag("ru"));
    private static final int COUNT = 50;

    @Test
    void eachMessageHasExactlyTheOriginalsFieldsWithRussianNamesOfOneGender() throws Exception {
        for (JsonNode m : people(Instant.now())) {
            List<String> fields = new ArrayList<>();
            m.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).as("fields of %s", m).containsExactlyInAnyOrder("uuid", "first_name", "last_name", "middle_name", "timestamp");
            for (String name : List.of("first_name", "last_name", "middle_name")) {
                assertThat(m.path(name).isTextual()).as("%s is a string in %s", name, m).isTrue();
                // the original used a Russian-locale faker; the names are data, kept as they are
                assertThat(m.path(name).asText()).as("%s in %s", name, m).isNotBlank().matches("[\\p{IsCyrillic} -]+");
            }
            // in the faker's Russian data a woman's patronymic ends in -на and her last name in -а; a man's in -ич and a consonant
            boolean femalePatronymic = m.path("middle_name").asText().endsWith("на");
            boolean femaleLastName = m.path("last_name").asText().endsWith("а");
            assertThat(femaleLastName).as("last name and patronymic of one gender in %s", m).isEqualTo(femalePatronymic);
        }
    }

    @Test
    void uuidIsAVersion7UuidMadeNowAndNeverTwice() throws Exception {
        Instant before = Instant.now();
        List<JsonNode> people = people(before);
        Instant after = Instant.now();
        Set<UUID> ids = new HashSet<>();
        for (JsonNode m : people) {
            UUID uuid = UUID.fromString(m.path("uuid").asText());
            assertThat(uuid.version()).as("version of %s", uuid).isEqualTo(7);
            assertThat(uuid.variant()).as("RFC variant of %s", uuid).isEqualTo(2);
            assertThat(UuidV7.timestamp(uuid)).as("time inside %s", uuid).isBetween(before.minusSeconds(1), after.plusSeconds(1));
            ids.add(uuid);
        }
        assertThat(ids).as("distinct uuids among %d people", COUNT).hasSize(COUNT);
    }

    @Test
    void timestampIsTheGivenInstantAsIso8601InUtc() throws Exception {
        Instant now = Instant.parse("2026-11-24T20:31:05.123Z");
        String text = JSON.readTree(PersonMessage.person(FAKER, now)).path("timestamp").asText();
        assertThat(text).as("an ISO-8601 instant in UTC ends with Z").endsWith("Z");
        assertThat(Instant.parse(text)).as("timestamp %s read back", text).isEqualTo(now);
    }

    private static List<JsonNode> people(Instant now) throws Exception {
        List<JsonNode> people = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            people.add(JSON.readTree(PersonMessage.person(FAKER, now)));
        }
        return people;
    }
}
