import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every id of an event (user, track, playlist) passes StrictJson.isUuid, on the careful parse and on the sink's fast road
 * alike, so a mistake there would let both agree on a wrong verdict. It is held to the canonical form written out as a
 * regular expression: 8-4-4-4-12 lower-case hex digits.
 */
class StrictJsonUuidTest {
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Test
    void aUuidIsEightFourFourFourTwelveLowerCaseHexDigits() {
        Random random = new Random(7);
        String chars = "0123456789abcdefABCDEFgz-_ {\"\u00e9\u0430\u0000";
        int checked = 0;
        for (int n = 0; n < 200; n++) {
            String uuid = new UUID(random.nextLong(), random.nextLong()).toString();
            assertThat(StrictJson.isUuid(uuid)).as("%s, as java.util.UUID writes it", uuid).isTrue();
            for (int at = 0; at < uuid.length(); at++) {
                for (char c : chars.toCharArray()) {
                    String changed = uuid.substring(0, at) + c + uuid.substring(at + 1);
                    assertThat(StrictJson.isUuid(changed)).as("%s", changed).isEqualTo(CANONICAL.matcher(changed).matches());
                    checked++;
                }
            }
            String[] cut = {uuid.substring(1), uuid + "0", uuid.replace("-", ""), uuid.toUpperCase(), "-" + uuid.substring(0, 35)};
            for (String other : cut) {
                assertThat(StrictJson.isUuid(other)).as("%s", other).isEqualTo(CANONICAL.matcher(other).matches());
            }
        }
        assertThat(checked).as("one-character changes held to the pattern").isEqualTo(200 * 36 * chars.length());
    }
}
