import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The learner's progress, in .course-state.json next to the course: which exercises are done, which one is
 * current, how many hints were shown, and which lessons have run to their end (a lesson records that itself,
 * see {@code Lesson.run}). The current exercise is the one the learner moved to, or else the first one not done.
 */
final class CourseState {
    static final String FILE = ".course-state.json";
    /** Pretty JSON with "\n" line ends and one array element per line. */
    private static final ObjectWriter PRETTY = CourseCatalog.JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    boolean welcomed;
    String current;
    final Set<String> done = new LinkedHashSet<>();
    final Map<String, Integer> hints = new LinkedHashMap<>();
    final Set<String> lessonsFinished = new LinkedHashSet<>();
    /** The learner's name on a shared cluster (null: none asked yet); every name they make starts with it. */
    String learner;
    /** Whether this learner shares their progress with the teacher's room view (null: not asked). */
    Boolean room;
    /** When the learner first worked on each exercise (epoch ms): the room view's "time on it". */
    final Map<String, Long> startedAt = new LinkedHashMap<>();
    /** What the room view was last told: the exercise and its state (a hint keeps it). */
    String roomExercise;
    String roomState;

    static CourseState load(Path root, PrintStream warnings) {
        Path file = root.resolve(FILE);
        CourseState state = new CourseState();
        if (!Files.exists(file)) {
            return state;
        }
        try {
            JsonNode doc = CourseCatalog.JSON.readTree(Files.readString(file));
            state.welcomed = doc.path("welcomed").asBoolean(false);
            state.current = doc.hasNonNull("current") ? doc.get("current").asText() : null;
            doc.path("done").forEach(n -> state.done.add(n.asText()));
            doc.path("hints").properties().forEach(e -> state.hints.put(e.getKey(), e.getValue().asInt()));
            doc.path("lessonsFinished").forEach(n -> state.lessonsFinished.add(n.asText()));
            state.learner = doc.hasNonNull("learner") ? doc.get("learner").asText() : null;
            state.room = doc.hasNonNull("room") ? doc.get("room").asBoolean() : null;
            doc.path("startedAt").properties().forEach(e -> state.startedAt.put(e.getKey(), e.getValue().asLong()));
            state.roomExercise = doc.path("roomStatus").hasNonNull("exercise") ? doc.path("roomStatus").get("exercise").asText() : null;
            state.roomState = doc.path("roomStatus").hasNonNull("state") ? doc.path("roomStatus").get("state").asText() : null;
            return state;
        } catch (IOException | RuntimeException e) {
            Path broken = file.resolveSibling(FILE + ".broken");
            try {
                Files.move(file, broken, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // overwritten on the next save
            }
            warnings.println("Could not read " + file + " (" + e.getMessage() + "); starting with no progress"
                    + " (the old file is kept as " + broken.getFileName() + ").");
            return new CourseState();
        }
    }

    void save(Path root) {
        ObjectNode doc = CourseCatalog.JSON.createObjectNode();
        doc.put("about", "Your progress in the course, kept by ./jbang course. Delete this file to start over.");
        doc.put("welcomed", welcomed);
        if (current != null) {
            doc.put("current", current);
        }
        done.forEach(doc.putArray("done")::add);
        ObjectNode h = doc.putObject("hints");
        hints.forEach(h::put);
        lessonsFinished.forEach(doc.putArray("lessonsFinished")::add);
        if (learner != null) {
            doc.put("learner", learner);
        }
        if (room != null) {
            doc.put("room", room);
        }
        if (!startedAt.isEmpty()) {
            ObjectNode s = doc.putObject("startedAt");
            startedAt.forEach(s::put);
        }
        if (roomExercise != null) {
            doc.putObject("roomStatus").put("exercise", roomExercise).put("state", roomState);
        }
        Path file = root.resolve(FILE);
        try {
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.writeString(tmp, PRETTY.writeValueAsString(doc) + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CourseException("Cannot write your progress to " + file + ": " + e.getMessage()
                    + "\n  Is the course folder read-only? Copy the course somewhere you can write.");
        }
    }

    boolean isDone(CourseCatalog.Exercise ex) {
        return done.contains(ex.id());
    }

    long doneCount(List<CourseCatalog.Exercise> all) {
        return all.stream().filter(this::isDone).count();
    }

    /** The exercise to work on, or null when every one is done. */
    CourseCatalog.Exercise current(List<CourseCatalog.Exercise> all) {
        for (CourseCatalog.Exercise ex : all) {
            if (ex.id().equals(current) && !isDone(ex)) {
                return ex;
            }
        }
        return all.stream().filter(ex -> !isDone(ex)).findFirst().orElse(null);
    }

    /** The first exercise after {@code from} (in order, wrapping around) that is not done, or null. */
    CourseCatalog.Exercise nextPending(List<CourseCatalog.Exercise> all, CourseCatalog.Exercise from) {
        int at = all.indexOf(from);
        for (int k = 1; k <= all.size(); k++) {
            CourseCatalog.Exercise ex = all.get((at + k) % all.size());
            if (!isDone(ex) && !ex.equals(from)) {
                return ex;
            }
        }
        return null;
    }

    /** When the learner started on {@code ex}: recorded now the first time it is asked. */
    long startedAt(CourseCatalog.Exercise ex, long now) {
        return startedAt.computeIfAbsent(ex.id(), id -> now);
    }

    /** Records a pass; when it was the current exercise, the next pending one becomes current. */
    void markDone(List<CourseCatalog.Exercise> all, CourseCatalog.Exercise ex) {
        boolean wasCurrent = ex.equals(current(all));
        done.add(ex.id());
        if (wasCurrent) {
            CourseCatalog.Exercise next = nextPending(all, ex);
            current = next == null ? null : next.id();
        }
    }
}
