import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the runner reads and keeps: the exercise list (course.json) and the learner's progress (.course-state.json). */
final class CourseData {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Pretty JSON with "\n" line ends everywhere and one array element per line (readable diffs in git). */
    static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    static final String STATE_FILE = ".course-state.json";

    private CourseData() {}

    /** One entry of course.json. Paths are relative to the course folder, with forward slashes. */
    record Exercise(String id, String title, String lesson, String alias, String exercise, String solution,
                    List<String> files, String test, List<String> hints) {

        List<String> exercisePaths() {
            return files.stream().map(f -> exercise + "/" + f).toList();
        }

        String solutionPath(String file) {
            return solution + "/" + file;
        }

        /** The class names the exercise's files define (LabCheck for LabCheck.java). */
        List<String> classNames() {
            return files.stream().map(f -> f.replaceFirst("\\.java$", "")).toList();
        }

        String label() {
            return id + " - " + title;
        }
    }

    /** The exercises of course.json, in order; a {@link CourseException} says what is wrong with the file. */
    static List<Exercise> loadExercises(Path root) {
        Path file = root.resolve("course.json");
        JsonNode doc;
        try {
            doc = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new CourseException("Cannot read " + file + ": " + e.getMessage()
                    + "\n  Is this the course folder? Download the course again if the file is damaged.");
        }
        List<Exercise> exercises = new ArrayList<>();
        for (JsonNode ex : doc.path("exercises")) {
            exercises.add(new Exercise(ex.path("id").asText(), ex.path("title").asText(), ex.path("lesson").asText(),
                    ex.path("alias").asText(), ex.path("exercise").asText(), ex.path("solution").asText(),
                    strings(ex.path("files")), ex.path("test").asText(), strings(ex.path("hints"))));
        }
        if (exercises.isEmpty()) {
            throw new CourseException(file + " lists no exercises.");
        }
        return exercises;
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    /**
     * The learner's progress: which exercises are done, which one is current, how many hints were shown.
     * The current exercise is the one the learner moved to (watch's "next"), or else the first one not done.
     */
    static final class State {
        boolean welcomed;
        String current;
        final Set<String> done = new LinkedHashSet<>();
        final Map<String, Integer> hints = new LinkedHashMap<>();

        static State load(Path root, java.io.PrintStream warnings) {
            Path file = root.resolve(STATE_FILE);
            State state = new State();
            if (!Files.exists(file)) {
                return state;
            }
            try {
                JsonNode doc = JSON.readTree(file.toFile());
                state.welcomed = doc.path("welcomed").asBoolean(false);
                state.current = doc.hasNonNull("current") ? doc.get("current").asText() : null;
                doc.path("done").forEach(n -> state.done.add(n.asText()));
                doc.path("hints").properties().forEach(e -> state.hints.put(e.getKey(), e.getValue().asInt()));
                return state;
            } catch (IOException | RuntimeException e) {
                Path broken = file.resolveSibling(STATE_FILE + ".broken");
                try {
                    Files.move(file, broken, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException ignored) {
                    // it will be overwritten on the next save
                }
                warnings.println("Could not read " + file + " (" + e.getMessage() + "); starting with no progress"
                        + " (the old file is kept as " + broken.getFileName() + ").");
                return new State();
            }
        }

        void save(Path root) {
            ObjectNode doc = JSON.createObjectNode();
            doc.put("about", "Your progress in the course, kept by ./jbang course. Delete this file to start over.");
            doc.put("welcomed", welcomed);
            if (current != null) {
                doc.put("current", current);
            }
            done.forEach(doc.putArray("done")::add);
            ObjectNode h = doc.putObject("hints");
            hints.forEach(h::put);
            Path file = root.resolve(STATE_FILE);
            try {
                Path tmp = file.resolveSibling(STATE_FILE + ".tmp");
                Files.writeString(tmp, PRETTY.writeValueAsString(doc) + "\n");
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new CourseException("Cannot write your progress to " + file + ": " + e.getMessage()
                        + "\n  Is the course folder read-only? Copy the course somewhere you can write.");
            }
        }

        boolean isDone(Exercise ex) {
            return done.contains(ex.id());
        }

        /** The exercise to work on, or null when every one is done. */
        Exercise current(List<Exercise> all) {
            for (Exercise ex : all) {
                if (ex.id().equals(current) && !isDone(ex)) {
                    return ex;
                }
            }
            return all.stream().filter(ex -> !isDone(ex)).findFirst().orElse(null);
        }

        /** The first exercise after {@code from} (in order, wrapping around) that is not done, or null. */
        Exercise nextPending(List<Exercise> all, Exercise from) {
            int at = all.indexOf(from);
            for (int k = 1; k <= all.size(); k++) {
                Exercise ex = all.get((at + k) % all.size());
                if (!isDone(ex) && !ex.equals(from)) {
                    return ex;
                }
            }
            return null;
        }

        /** Records a pass; when it was the current exercise, the next pending one becomes current. */
        void markDone(List<Exercise> all, Exercise ex) {
            boolean wasCurrent = ex.equals(current(all));
            done.add(ex.id());
            if (wasCurrent) {
                Exercise next = nextPending(all, ex);
                current = next == null ? null : next.id();
            }
        }
    }
}
