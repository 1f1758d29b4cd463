import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * course.json: the lessons, in order, each with its exercises. Every path follows from the ids and slugs: lesson
 * {@code NN} with slug {@code s} is {@code lessons/NN_s.java} (alias {@code lessonNN}); its exercise {@code NN.K} with
 * slug {@code e} lives in {@code exercises/NN_s/K_e/} and {@code solutions/NN_s/K_e/}, its test in
 * {@code src/test/java/exercises/NN_s/<test>.java}. A narrated lesson has no exercises.
 */
final class CourseCatalog {
    static final ObjectMapper JSON = new ObjectMapper();

    record Lesson(String id, String slug, String title, String summary, List<Exercise> exercises) {
        String script() {
            return "lessons/" + id + "_" + slug + ".java";
        }

        String alias() {
            return "lesson" + id;
        }

        String label() {
            return id + " - " + title;
        }
    }

    record Exercise(String id, String slug, String title, String lessonId, String lessonSlug, List<String> files,
                    String test, List<String> hints) {
        /** {@code NN_slug/K_exslug}. */
        String folder() {
            return lessonId + "_" + lessonSlug + "/" + id.substring(id.indexOf('.') + 1) + "_" + slug;
        }

        String exerciseDir() {
            return "exercises/" + folder();
        }

        String solutionDir() {
            return "solutions/" + folder();
        }

        List<String> exercisePaths() {
            return files.stream().map(f -> exerciseDir() + "/" + f).toList();
        }

        String solutionPath(String file) {
            return solutionDir() + "/" + file;
        }

        String testSource() {
            return "src/test/java/exercises/" + lessonId + "_" + lessonSlug + "/" + test + ".java";
        }

        String label() {
            return id + " - " + title;
        }

        boolean sql() {
            return files.stream().anyMatch(f -> f.endsWith(".sql"));
        }
    }

    final List<Lesson> lessons;
    final List<Exercise> exercises;

    private CourseCatalog(List<Lesson> lessons) {
        this.lessons = List.copyOf(lessons);
        this.exercises = lessons.stream().flatMap(l -> l.exercises().stream()).toList();
    }

    /** The lessons of course.json, in order; a {@link CourseException} says what is wrong with the file. */
    static CourseCatalog load(Path root) {
        Path file = root.resolve("course.json");
        JsonNode doc;
        try {
            doc = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CourseException("Cannot read " + file + ": " + e.getMessage()
                    + "\n  Is this the course folder? Download the course again if the file is damaged.");
        }
        List<Lesson> lessons = new ArrayList<>();
        for (JsonNode l : doc.path("lessons")) {
            String lessonId = l.path("id").asText();
            String lessonSlug = l.path("slug").asText();
            List<Exercise> exercises = new ArrayList<>();
            for (JsonNode e : l.path("exercises")) {
                exercises.add(new Exercise(e.path("id").asText(), e.path("slug").asText(), e.path("title").asText(), lessonId,
                        lessonSlug, strings(e.path("files")), e.path("test").asText(), strings(e.path("hints"))));
            }
            lessons.add(new Lesson(lessonId, lessonSlug, l.path("title").asText(), l.path("summary").asText(), exercises));
        }
        if (lessons.isEmpty()) {
            throw new CourseException(file + " lists no lessons.");
        }
        return new CourseCatalog(lessons);
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    Lesson lessonOf(Exercise ex) {
        return lesson(ex.lessonId());
    }

    Lesson lesson(String id) {
        return lessons.stream().filter(l -> l.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * The lesson a command-line word names: {@code 06}, {@code 6}, {@code lesson06} or the lesson's slug; null when it
     * names none.
     */
    Lesson findLesson(String word) {
        String w = word.toLowerCase(Locale.ROOT).replaceFirst("^lesson", "");
        if (w.matches("\\d")) {
            w = "0" + w;
        }
        for (Lesson l : lessons) {
            if (l.id().equals(w) || l.slug().equals(w) || (l.id() + "_" + l.slug()).equals(w)) {
                return l;
            }
        }
        return null;
    }

    /**
     * The exercise a command-line word names: {@code 06.4}, {@code 6.4}, {@code 064}, its slug ({@code flush_order})
     * or its folder name ({@code 4_flush_order}); null when it names none.
     */
    Exercise findExercise(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.matches("\\d\\d\\d")) {
            w = w.substring(0, 2) + "." + w.substring(2);
        } else if (w.matches("\\d\\.\\d")) {
            w = "0" + w;
        }
        for (Exercise e : exercises) {
            String k = e.id().substring(e.id().indexOf('.') + 1);
            if (e.id().equals(w) || e.slug().equals(w) || (k + "_" + e.slug()).equals(w)) {
                return e;
            }
        }
        return null;
    }

    /** The ids, for messages: "00.1 00.2 ... 09.3". */
    String exerciseIds() {
        return String.join(" ", exercises.stream().map(Exercise::id).toList());
    }
}
