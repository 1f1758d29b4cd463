import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code reset}: puts an exercise's files back as shipped, by copying them. The runner keeps a plain copy of each
 * exercise file as it first saw it, in {@code .course/shipped/} (made before the first check, so before the learner
 * had a reason to edit), so reset needs no git and no patches.
 */
final class CourseReset {
    static final String SHIPPED = ".course/shipped";
    private final Course c;

    CourseReset(Course course) {
        this.c = course;
    }

    /** Keeps a copy of every exercise file the runner has not seen before (a new exercise after an update, too). */
    static void snapshot(Course c) {
        for (CourseCatalog.Exercise ex : c.catalog.exercises) {
            for (String p : ex.exercisePaths()) {
                Path file = c.root.resolve(p);
                Path copy = c.root.resolve(SHIPPED).resolve(p);
                if (Files.isRegularFile(file) && !Files.exists(copy)) {
                    try {
                        Files.createDirectories(copy.getParent());
                        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                    } catch (IOException e) {
                        c.out.println(c.ui.dim("(could not keep a copy of " + p + " for `reset`: " + e.getMessage() + ")"));
                    }
                }
            }
        }
    }

    int reset(List<String> args) {
        boolean yes = args.remove("--yes") | args.remove("-y");
        boolean all = args.remove("--all");
        Optional<String> word = args.stream().filter(a -> !a.startsWith("-")).findFirst();
        if (!all && word.isEmpty()) {
            throw new CourseException("Which exercise? `./jbang course reset NN.K` puts exercise NN.K back as shipped;"
                    + " `reset NN` each of lesson NN's; `reset --all` every exercise. The exercises: " + c.catalog.exerciseIds());
        }
        List<CourseCatalog.Exercise> targets;
        String which;
        CourseCatalog.Lesson lesson = word.isPresent() && c.catalog.findExercise(word.get()) == null
                ? c.catalog.findLesson(word.get()) : null;
        if (all) {
            targets = c.catalog.exercises;
            which = "every exercise";
        } else if (lesson != null) {
            targets = lesson.exercises();
            which = "the exercises of lesson " + lesson.id();
        } else {
            targets = List.of(c.exerciseArg(args, false));
            which = "exercise " + targets.get(0).label();
        }
        if (targets.isEmpty()) {
            c.out.println("Lesson " + lesson.label() + " is narrated: it has no exercise to reset.");
            return 0;
        }
        Map<Path, Path> restore = new LinkedHashMap<>();
        List<String> noCopy = new ArrayList<>();
        for (CourseCatalog.Exercise ex : targets) {
            for (String p : ex.exercisePaths()) {
                Path file = c.root.resolve(p);
                Path copy = c.root.resolve(SHIPPED).resolve(p);
                if (!Files.exists(copy)) {
                    noCopy.add(p);
                } else if (!sameBytes(file, copy)) {
                    restore.put(file, copy);
                }
            }
        }
        noCopy.forEach(p -> c.out.println(c.ui.yellow("No shipped copy of " + p) + " (the runner never saw it): left as it is."));
        if (restore.isEmpty()) {
            c.out.println("Nothing to reset: " + which + " is as shipped.");
        } else {
            c.out.println("These files differ from how they were shipped:");
            restore.forEach((file, copy) -> {
                long changed = CourseDiff.ops(CourseDiff.split(Course.readText(copy)), CourseDiff.split(Course.readText(file)))
                        .stream().filter(o -> o.kind() != ' ').count();
                c.out.println("  " + c.root.relativize(file).toString().replace('\\', '/') + "  ("
                        + Course.plural(changed, "line") + " added or removed)");
            });
            if (!yes) {
                c.out.print("Throw your changes away and put " + which + " back as shipped? [y/N] ");
                c.out.flush();
                String answer = readAnswer();
                if (answer == null) {
                    c.out.println();
                    c.out.println("Nothing reset: no answer (input is closed). Add --yes to reset without asking.");
                    return 1;
                }
                if (!answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                    c.out.println("Nothing reset.");
                    return 1;
                }
            }
            for (Map.Entry<Path, Path> e : restore.entrySet()) {
                try {
                    Files.createDirectories(e.getKey().getParent());
                    Files.copy(e.getValue(), e.getKey(), StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException ex) {
                    throw new CourseException("Cannot write " + e.getKey() + ": " + ex.getMessage());
                }
            }
            c.out.println("Put " + which + " back as shipped (" + Course.plural(restore.size(), "file") + ").");
        }
        for (CourseCatalog.Exercise ex : targets) {
            c.state.done.remove(ex.id());
            c.state.hints.remove(ex.id());
        }
        // the exercise put back is the one to do next (after --all: the first one)
        c.state.current = all ? null : targets.get(0).id();
        c.state.save(c.root);
        CourseCatalog.Exercise current = c.state.current(c.catalog.exercises);
        c.out.println((targets.size() > 1 ? "Their progress and hints start over." : "Its progress and hints start over.")
                + " Current exercise: " + (current == null ? "none (all done)" : current.label()) + ".");
        return 0;
    }

    private static boolean sameBytes(Path a, Path b) {
        try {
            return Files.exists(a) && Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b));
        } catch (IOException e) {
            return false;
        }
    }

    private String readAnswer() {
        try {
            return new BufferedReader(new InputStreamReader(c.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
