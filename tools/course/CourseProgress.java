import java.util.List;

/**
 * {@code ./jbang course} and {@code list}: a welcome the first time, every lesson with its exercises (done, current,
 * pending) and the next step. At a terminal, {@code ./jbang course} starts lesson 00 until it has run to its end
 * once, so a newcomer whose first try failed (a port taken, no network) is offered it again.
 */
final class CourseProgress {
    private final Course c;

    CourseProgress(Course course) {
        this.c = course;
    }

    int start() {
        boolean first = !c.state.welcomed;
        int code = show(first);
        CourseCatalog.Lesson lab = c.catalog.lessons.get(0);
        boolean labFinished = c.state.lessonsFinished.contains(lab.id());
        if (code == 0 && !labFinished && c.interactive && !c.env.containsKey("COURSE_NO_AUTORUN")) {
            c.out.println();
            c.out.println(c.ui.bold("Starting lesson " + lab.label() + " now") + (first ? "." : " (it has not run to its end yet).")
                    + " It brings the lab up (no Docker needed) and keeps it running in this window:"
                    + " use another terminal for the next steps.");
            return new CourseGuide(c).runLesson(lab);
        }
        return code;
    }

    int show(boolean welcome) {
        if (welcome) {
            c.out.print("""

                    %s

                    Each lesson is a narrated demo; most have small exercises. For each exercise:
                      1. run its lesson against the real lab:                ./jbang course run NN
                      2. open the exercise's file and do its TODOs (`TODO NN.K.s` in the file)
                      3. check your work against a real Kafka broker and S3 server:
                                                                             ./jbang course verify
                         or keep `./jbang course watch` open: it checks again on every save.
                    Until a TODO is done, the check stops at it: "TODO NN.K.s is not done yet: ...".
                    Stuck? `./jbang course hint` gives one more hint each time. No Docker needed: the checks
                    use `./jbang lab up` when it runs, or start their own lab. `./jbang course doctor` checks your
                    machine; `./jbang course help` lists every command. Progress is kept in .course-state.json.
                    """.formatted(c.ui.bold("Welcome to Kafka in Practice!")));
            c.state.welcomed = true;
            c.state.save(c.root);
        }
        List<CourseCatalog.Exercise> all = c.catalog.exercises;
        CourseCatalog.Exercise current = c.state.current(all);
        c.workshop.started(current);
        long doneCount = c.state.doneCount(all);
        int width = 30;
        int filled = all.isEmpty() ? 0 : (int) (width * doneCount / all.size());
        c.out.println();
        c.out.println(c.ui.bold("Kafka in Practice") + ": " + doneCount + " of " + all.size() + " exercises done");
        c.out.println("  [" + c.ui.green("#".repeat(filled)) + "-".repeat(width - filled) + "] "
                + (all.isEmpty() ? 0 : 100 * doneCount / all.size()) + "%");
        int titleWidth = all.stream().mapToInt(e -> e.title().length()).max().orElse(20);
        titleWidth = Math.min(titleWidth, 64);
        for (CourseCatalog.Lesson lesson : c.catalog.lessons) {
            c.out.println();
            String ran = c.state.lessonsFinished.contains(lesson.id()) ? c.ui.dim("   (lesson run)") : "";
            c.out.println("  " + c.ui.bold(lesson.id() + "  " + lesson.title()) + ran
                    + (lesson.exercises().isEmpty() ? c.ui.dim("   narrated: ./jbang course run " + lesson.id()) : ""));
            for (CourseCatalog.Exercise ex : lesson.exercises()) {
                String status = c.state.isDone(ex) ? c.ui.green("done   ") : ex.equals(current) ? c.ui.yellow("current") : c.ui.dim("pending");
                String title = String.format("%-" + titleWidth + "s", clip(ex.title(), titleWidth));
                String line = "      " + ex.id() + "  " + status + "  "
                        + (ex.equals(current) ? c.ui.bold(title) + "  " + String.join(", ", ex.exercisePaths()) : title);
                c.out.println(line.stripTrailing());
            }
        }
        c.out.println();
        nextStep(current);
        return 0;
    }

    /** What to do next for the current exercise (or that all is done). */
    void nextStep(CourseCatalog.Exercise current) {
        if (current == null) {
            c.out.println(c.ui.green("Every exercise is done. Well done!") + " Compare with the solutions:"
                    + " ./jbang course solution NN.K; the lessons stay runnable: ./jbang course run NN");
            return;
        }
        CourseCatalog.Lesson lesson = c.catalog.lessonOf(current);
        c.out.println(c.ui.bold("Next: exercise " + current.label()));
        c.out.println("  1. see the lesson:      ./jbang course run " + lesson.id() + "   (or ./jbang " + lesson.alias() + ")"
                + (c.state.lessonsFinished.contains(lesson.id()) ? c.ui.dim("   (done before)") : ""));
        c.out.println("  2. do the TODOs in:     " + String.join(", ", current.exercisePaths()));
        if (c.watching) {
            c.out.println("  3. save: watch checks it again    (keys: Enter re-check, n next, h hint, l list, q quit)");
        } else {
            c.out.println("  3. check your work:     ./jbang course verify   (or ./jbang course watch: checks on every save)");
            c.out.println("  stuck?                  ./jbang course hint");
        }
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }
}
