import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * Lesson 10 prints the original project's mistakes (lab/teaching/Mistakes.java), each with the tests of lessons 2-9 that show
 * it failing and fixed. This keeps that table honest: every test it names exists, and is a test.
 */
class Lesson10RecommendationsTest {

    @Test
    void everyTestTheMistakesTableNamesExistsAndIsATest() throws Exception {
        assertThat(Mistakes.ALL).as("mistakes in the table").hasSizeGreaterThanOrEqualTo(9);
        for (Mistakes.Mistake m : Mistakes.ALL) {
            for (String ref : m.tests()) {
                assertThat(ref).as("a test reference of \"%s\": TestClass#method", m.original()).matches("\\w+Test#\\w+");
                String[] parts = ref.split("#");
                Class<?> test = Class.forName(parts[0]);
                Method method = test.getDeclaredMethod(parts[1]);
                assertThat(method.isAnnotationPresent(Test.class)).as("%s is a @Test", ref).isTrue();
            }
        }
    }

    @Test
    void everyMistakeIsShownByATestOfLessons2To9OrSaysWhyNot() throws Exception {
        // an exercise's test belongs to the lesson course.json lists the exercise under
        Set<String> exerciseTestsOfLessons2To9 = new HashSet<>();
        for (JsonNode lesson : new ObjectMapper().readTree(Path.of("course.json").toFile()).path("lessons")) {
            if (lesson.path("id").asText().matches("0[2-9]")) {
                lesson.path("exercises").forEach(ex -> exerciseTestsOfLessons2To9.add(ex.path("test").asText()));
            }
        }
        for (Mistakes.Mistake m : Mistakes.ALL) {
            List<String> inLessons2To9 = m.tests().stream()
                    .filter(t -> t.matches("Lesson0[2-9]\\w+#\\w+") || exerciseTestsOfLessons2To9.contains(t.split("#")[0])).toList();
            if (inLessons2To9.isEmpty()) {
                assertThat(m.shownBy()).as("\"%s\" has no test of lessons 2-9: shownBy must say why and where it is shown", m.original())
                        .startsWith("no test");
            }
            assertThat(m.cost()).as("what \"%s\" costs", m.original()).isNotBlank();
            assertThat(m.fix()).as("the fix of \"%s\"", m.original()).isNotBlank();
        }
        assertThat(Mistakes.ALL.stream().filter(m -> m.tests().isEmpty()).count()).as("mistakes without a test").isLessThanOrEqualTo(1);
    }

    @Test
    void lesson10PrintsThisTable() throws Exception {
        String lesson = Files.readString(Path.of("lessons/10_recommendations.java"));
        assertThat(lesson).as("lesson 10 sources lab/teaching/Mistakes.java and prints Mistakes.ALL")
                .contains("../lab/teaching/Mistakes.java").contains("Mistakes.ALL");
    }
}
