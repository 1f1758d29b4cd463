import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code verify}: checks one exercise (or each of a lesson's) against the solved rest, in the check JVM; a pass marks
 * it done. {@code verify --all}: every exercise, one after the other in the same check JVM, as a table.
 */
final class CourseVerify {
    /** How long one exercise's test may take before the check gives up on it (COURSE_CHECK_TIMEOUT, seconds). */
    static final int DEFAULT_TIMEOUT = 180;

    private final Course c;

    CourseVerify(Course course) {
        this.c = course;
    }

    int verify(List<String> args) {
        labAnswers();
        Optional<String> word = args.stream().filter(a -> !a.startsWith("-")).findFirst();
        List<CourseCatalog.Exercise> targets = new ArrayList<>();
        if (word.isPresent() && c.catalog.findExercise(word.get()) == null && c.catalog.findLesson(word.get()) != null) {
            CourseCatalog.Lesson lesson = c.catalog.findLesson(word.get());
            if (lesson.exercises().isEmpty()) {
                c.out.println("Lesson " + lesson.label() + " is narrated: it has no exercise to check. Run it: ./jbang course run " + lesson.id());
                return 0;
            }
            targets.addAll(lesson.exercises());
        } else {
            CourseCatalog.Exercise ex = c.exerciseArg(args, true);
            if (ex == null) {
                c.out.println(c.ui.green("Every exercise is done.") + " `./jbang course verify NN.K` checks one again;"
                        + " `./jbang course verify --all` checks them all.");
                return 0;
            }
            targets.add(ex);
        }
        int worst = 0;
        for (CourseCatalog.Exercise ex : targets) {
            int code = verifyOne(ex, targets.size() == 1 || worst == 0);
            worst = Math.max(worst, code);
            if (targets.size() > 1) {
                c.out.println();
            }
        }
        return worst;
    }

    /** Checks one exercise and reports it; {@code details}: the whole report, else the verdict line only. */
    int verifyOne(CourseCatalog.Exercise ex, boolean details) {
        String missing = missingFile(ex);
        if (missing != null) {
            c.out.println(c.ui.yellow("NOT WRITTEN YET") + "  exercise " + ex.label() + ": " + missing + " is missing.");
            return 2;
        }
        c.out.println(c.ui.bold("Checking exercise " + ex.label()) + "  (" + String.join(", ", ex.exercisePaths()) + ")");
        c.workshop.started(ex);
        CheckResult result = check(ex, ex.exerciseDir());
        c.clearTick();
        CourseReport report = new CourseReport(c, ex);
        if (!result.passed()) {
            c.workshop.verified(ex, result);
            return details ? report.failed(result) : report.verdict(result);
        }
        boolean wasCurrent = ex.equals(c.state.current(c.catalog.exercises));
        c.state.markDone(c.catalog.exercises, ex);
        c.state.save(c.root);
        c.workshop.verified(ex, result);
        report.verdict(result);
        c.out.println("Marked done: " + c.state.doneCount(c.catalog.exercises) + " of " + c.catalog.exercises.size() + ".");
        if (details && (wasCurrent || c.state.current(c.catalog.exercises) == null)) {
            c.out.println();
            new CourseProgress(c).nextStep(c.state.current(c.catalog.exercises));
        }
        return 0;
    }

    /** Checks the exercise's files in {@code dir} (relative to the course: exercises/... or solutions/...). */
    CheckResult check(CourseCatalog.Exercise ex, String dir) {
        int timeout = Integer.parseInt(c.env.getOrDefault("COURSE_CHECK_TIMEOUT", Integer.toString(DEFAULT_TIMEOUT)));
        CheckResult.Request request = new CheckResult.Request(ex.id(), c.root.resolve(dir).toString(), ex.files(), ex.test(),
                c.root.resolve(ex.testSource()).toString(), timeout, c.workshop.learner());
        // ClickHouse is started for the lessons whose exercises are SQL (it is slow to start and big)
        boolean clickhouse = c.catalog.lessonOf(ex).exercises().stream().anyMatch(CourseCatalog.Exercise::sql);
        return c.checker.check(request, clickhouse, c::progressLine);
    }

    /** The first of the exercise's files (or its test) that does not exist, or null. */
    String missingFile(CourseCatalog.Exercise ex) {
        for (String p : ex.exercisePaths()) {
            if (!Files.isRegularFile(c.root.resolve(p))) {
                return p;
            }
        }
        return Files.isRegularFile(c.root.resolve(ex.testSource())) ? null : ex.testSource();
    }

    int all() {
        labAnswers();
        List<CourseCatalog.Exercise> all = c.catalog.exercises;
        c.out.println(c.ui.bold("Checking every exercise") + " (" + all.size() + ", one after the other in one check JVM) ...");
        int titleWidth = Math.min(48, Math.max(8, all.stream().mapToInt(e -> e.title().length()).max().orElse(10)));
        List<String> rows = new ArrayList<>();
        int passed = 0;
        long t0 = System.nanoTime();
        for (CourseCatalog.Exercise ex : all) {
            String result;
            String checks = "";
            String problem = "";
            String missing = missingFile(ex);
            if (missing != null) {
                result = c.ui.yellow("missing ");
                problem = missing + " is not written yet";
            } else {
                if (c.ui.terminal) {
                    c.out.print("\r" + c.ui.dim("  checking " + ex.id() + " ...") + "  ");
                    c.out.flush();
                }
                CheckResult r = check(ex, ex.exerciseDir());
                c.clearTick();
                checks = r.passing() + "/" + r.cases().size();
                if (r.passed()) {
                    result = c.ui.green("passed  ");
                    passed++;
                    c.state.markDone(all, ex);
                } else {
                    result = c.ui.red(r.outcome().equals(CheckResult.COMPILE_ERROR) ? "no build" : "failed  ");
                    problem = CourseReport.firstProblem(r);
                }
            }
            rows.add(String.format("  %-5s %-" + titleWidth + "s  %s  %-6s  %s", ex.id(), clip(ex.title(), titleWidth), result,
                    checks, clip(problem, 90)).stripTrailing());
        }
        if (c.ui.terminal) {
            c.out.print("\r" + " ".repeat(40) + "\r");
        }
        c.state.save(c.root);
        c.out.printf("  %-5s %-" + titleWidth + "s  %-8s  %-6s  %s%n", "#", "exercise", "result", "checks", "first problem");
        rows.forEach(c.out::println);
        c.out.println();
        c.out.println(passed + " of " + all.size() + " exercises pass (" + Course.seconds((System.nanoTime() - t0) / 1_000_000) + ")."
                + (passed == all.size() ? "" : " Details of one: ./jbang course verify NN.K"));
        return passed == all.size() ? 0 : 1;
    }

    /** A lab named by the environment that does not answer would make every check wait and fail: say so first. */
    void labAnswers() {
        String kafka = c.env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (kafka != null && !kafka.isBlank()) {
            String first = kafka.split(",")[0].trim();
            if (first.contains(":") && !CourseDoctor.listening(first)) {
                throw new CourseException("KAFKA_BOOTSTRAP_SERVERS is " + kafka + ", but nothing answers at " + first + ".\n"
                        + "  Start that cluster, or unset the variable: the checks then use ./jbang lab up or start their own lab.");
            }
        }
        String s3 = c.env.get("S3_ENDPOINT");
        if (s3 != null && !s3.isBlank()) {
            java.net.URI uri = java.net.URI.create(s3.trim());
            if (uri.getHost() != null && !CourseDoctor.listening(uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 80))) {
                throw new CourseException("S3_ENDPOINT is " + s3 + ", but nothing answers there.\n"
                        + "  Start that server, or unset the variable: the checks then use ./jbang lab up or start their own lab.");
            }
        }
    }

    static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }
}
