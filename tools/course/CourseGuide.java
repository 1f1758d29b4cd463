import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/** {@code hint} (one more each time, remembered), {@code run} (a lesson, narrated) and {@code solution} (as a diff). */
final class CourseGuide {
    private final Course c;

    CourseGuide(Course course) {
        this.c = course;
    }

    int hint(CourseCatalog.Exercise ex) {
        if (ex == null) {
            c.out.println("Every exercise is done: no hints needed. `./jbang course hint NN.K` shows one exercise's hints.");
            return 0;
        }
        List<String> hints = ex.hints();
        if (hints.isEmpty()) {
            c.out.println("Exercise " + ex.label() + " has no hints. Its lesson shows the same ideas: ./jbang course run " + ex.lessonId());
            return 0;
        }
        int shown = Math.min(hints.size(), c.state.hints.getOrDefault(ex.id(), 0) + 1);
        c.state.hints.put(ex.id(), shown);
        c.state.save(c.root);
        c.workshop.hinted(ex, shown);
        c.out.println(c.ui.bold("Exercise " + ex.label() + ": hint " + shown + " of " + hints.size()));
        for (int i = 0; i < shown; i++) {
            String text = Course.wrap(hints.get(i), 96, "     ");
            c.out.println("  " + (i + 1) + ". " + (i == shown - 1 ? c.ui.cyan(text) : c.ui.dim(text)));
        }
        if (shown < hints.size()) {
            c.out.println("One more: " + (c.watching ? "h again" : "./jbang course hint"
                    + (ex.equals(c.state.current(c.catalog.exercises)) ? "" : " " + ex.id())));
        } else {
            c.out.println("That was the last hint. Still stuck? The lesson does the same: ./jbang course run " + ex.lessonId()
                    + "; the solution: ./jbang course solution " + ex.id() + " --force");
        }
        return 0;
    }

    /** {@code run NN} (or an exercise id: its lesson; nothing: the current exercise's lesson). */
    int runLesson(List<String> args) {
        Optional<String> word = args.stream().filter(a -> !a.startsWith("-")).findFirst();
        CourseCatalog.Lesson lesson;
        if (word.isEmpty()) {
            CourseCatalog.Exercise current = c.state.current(c.catalog.exercises);
            lesson = current == null ? c.catalog.lessons.get(0) : c.catalog.lessonOf(current);
        } else {
            lesson = c.catalog.findLesson(word.get());
            if (lesson == null) {
                CourseCatalog.Exercise ex = c.catalog.findExercise(word.get());
                if (ex == null) {
                    throw new CourseException("There is no lesson '" + word.get() + "'. The lessons: " + String.join(" ",
                            c.catalog.lessons.stream().map(CourseCatalog.Lesson::id).toList()) + " (./jbang course list shows them).");
                }
                lesson = c.catalog.lessonOf(ex);
            }
        }
        return runLesson(lesson);
    }

    int runLesson(CourseCatalog.Lesson lesson) {
        String script = lesson.script();
        if (!Files.isRegularFile(c.root.resolve(script))) {
            throw new CourseException("Lesson " + lesson.id() + " should be " + script + ", which is missing.");
        }
        List<String> command = CheckBuild.isWindows()
                ? List.of("cmd.exe", "/c", c.root.resolve("jbang.cmd").toString(), script)
                : List.of("bash", c.root.resolve("jbang").toString(), script);
        c.out.println(c.ui.dim("Running lesson " + lesson.label() + ": ./jbang " + script));
        c.out.flush();
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(c.root.toFile()).inheritIO();
            pb.environment().clear();
            pb.environment().putAll(c.env);
            if (!c.workshop.learner().isEmpty()) {
                pb.environment().put("COURSE_LEARNER", c.workshop.learner()); // the lesson's names: in the learner's namespace
            }
            Process p = pb.start();
            int code = p.waitFor();
            // the lesson records in the state file that it ran to its end: read what it wrote
            c.state = CourseState.load(c.root, c.out);
            if (code == 0) {
                c.out.println();
                c.out.println(c.ui.bold("Next: ") + (lesson.exercises().isEmpty() ? "the next lesson: ./jbang course"
                        : "its exercises: " + lesson.exercises().get(0).exerciseDir() + "/, then ./jbang course verify "
                        + lesson.exercises().get(0).id()));
            }
            return code;
        } catch (IOException e) {
            throw new CourseException("Cannot start ./jbang: " + e.getMessage() + "\n  `./jbang course doctor` checks JBang.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    int solution(CourseCatalog.Exercise ex, boolean force) {
        if (!c.state.isDone(ex) && !force) {
            c.out.println("Exercise " + ex.label() + " is not done yet, so its solution stays hidden for now.");
            c.out.println("Try a hint first: ./jbang course hint " + ex.id()
                    + ". To see the solution anyway: ./jbang course solution " + ex.id() + " --force");
            return 1;
        }
        boolean same = true;
        for (String f : ex.files()) {
            String yours = ex.exerciseDir() + "/" + f;
            String solution = ex.solutionPath(f);
            String diff = CourseDiff.unified(yours + " (yours)", Course.readText(c.root.resolve(yours)),
                    solution + " (solution)", Course.readText(c.root.resolve(solution)), 3);
            if (diff.isEmpty()) {
                c.out.println(yours + " is the solution, byte for byte.");
                continue;
            }
            same = false;
            for (String line : diff.split("\n", -1)) {
                if (line.startsWith("---") || line.startsWith("+++")) {
                    c.out.println(c.ui.bold(line));
                } else if (line.startsWith("@@")) {
                    c.out.println(c.ui.cyan(line));
                } else if (line.startsWith("-")) {
                    c.out.println(c.ui.red(line));
                } else if (line.startsWith("+")) {
                    c.out.println(c.ui.green(line));
                } else if (!line.isEmpty()) {
                    c.out.println(line);
                }
            }
        }
        if (!same) {
            c.out.println();
            c.out.println(c.ui.dim("Lines with - are yours, lines with + the solution's. Yours passes too if the check says so:"
                    + " there is more than one right answer."));
        }
        return 0;
    }
}
