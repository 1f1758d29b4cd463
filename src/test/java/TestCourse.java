import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where an exercise's files are, for tests that read them (SQL exercises). The folder follows from course.json:
 * {@code <code>/NN_slug/K_exslug/}, where {@code <code>} is {@code solutions} ({@code ./mvnw verify}) or
 * {@code exercises} ({@code -Pexercises}). The course runner, checking one exercise against the solved rest,
 * names that exercise and its folder with the system properties {@code course.exercise} and
 * {@code course.exercise.dir}: only that exercise's files come from there.
 */
final class TestCourse {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestCourse() {}

    /** The file {@code name} of exercise {@code id} (e.g. "08.2") as the build under test has it. */
    static Path file(String id, String name) {
        String dir = System.getProperty("course.exercise.dir");
        if (id.equals(System.getProperty("course.exercise")) && dir != null) {
            return Path.of(dir, name);
        }
        return Path.of(System.getProperty("course.code", "solutions")).resolve(folder(id)).resolve(name);
    }

    /** The solved file, whatever is under test (for a test that needs another exercise done). */
    static Path solution(String id, String name) {
        return Path.of("solutions").resolve(folder(id)).resolve(name);
    }

    /** {@code NN_slug/K_exslug} of exercise {@code id}, from course.json. */
    static Path folder(String id) {
        try {
            for (JsonNode lesson : JSON.readTree(Path.of("course.json").toFile()).path("lessons")) {
                for (JsonNode ex : lesson.path("exercises")) {
                    if (id.equals(ex.path("id").asText())) {
                        String k = id.substring(id.indexOf('.') + 1);
                        return Path.of(lesson.path("id").asText() + "_" + lesson.path("slug").asText(),
                                k + "_" + ex.path("slug").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("course.json has no exercise " + id);
    }
}
