import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code watch}: checks the current exercise, then again on every save of its files, and moves on after a pass.
 * It keeps one connection to the warm check JVM for its whole session, so a re-check compiles one file and runs one
 * test. Keys (each followed by Enter): Enter re-check, n next, h hint, l list, q quit.
 */
final class CourseWatch {
    private final Course c;
    private BlockingQueue<Optional<String>> keys;

    CourseWatch(Course course) {
        this.c = course;
    }

    /** {@code watch [NN.K]}: from the current exercise, or from the one named. */
    int watch(List<String> args) {
        if (args.stream().anyMatch(a -> !a.startsWith("-"))) {
            c.state.current = c.exerciseArg(args, false).id();
            c.state.save(c.root);
        }
        c.watching = true;
        try {
            return loop();
        } finally {
            c.watching = false;
        }
    }

    private int loop() {
        new CourseVerify(c).labAnswers();
        startKeyReader();
        boolean keysOpen = true;
        CourseCatalog.Exercise ex = c.state.current(c.catalog.exercises);
        boolean check = true;
        c.out.println(c.ui.bold("Watching your exercise.") + " Save a file to check it again. Keys (then Enter):"
                + " Enter re-check, n next, h hint, l list, q quit. Ctrl-C stops too.");
        while (true) {
            if (ex == null) {
                c.out.println(c.ui.green("Every exercise is done. Well done!"));
                return 0;
            }
            Map<Path, List<Object>> before = snapshot(ex);
            if (check) {
                c.out.println();
                new CourseVerify(c).verifyOne(ex, true);
                CourseCatalog.Exercise now = c.state.current(c.catalog.exercises);
                if (now == null) {
                    c.out.println(c.ui.green("Every exercise is done. Well done!"));
                    return 0;
                }
                if (!now.equals(ex)) {
                    ex = now; // passed: carry on with the next one, and show where it stops
                    c.out.println(c.ui.bold("On to exercise " + ex.label()) + ". Checking it as it is ...");
                    continue;
                }
                c.out.println(c.ui.dim("Watching " + String.join(", ", ex.exercisePaths())
                        + ": save to check again. Keys: Enter re-check, n next, h hint, l list, q quit."));
            }
            check = false;
            while (!check) {
                Optional<String> key;
                try {
                    key = keys.poll(c.pollMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
                if (key != null && key.isEmpty()) {
                    if (keysOpen) {
                        c.out.println(c.ui.dim("(no more keys: input closed. Still watching; Ctrl-C stops.)"));
                        keysOpen = false;
                    }
                } else if (key != null) {
                    switch (key.get().strip().toLowerCase(Locale.ROOT)) {
                        case "", "r" -> check = true;
                        case "q", "quit", "exit" -> {
                            c.out.println("Bye. Continue any time with ./jbang course watch");
                            return 0;
                        }
                        case "h", "hint" -> new CourseGuide(c).hint(ex);
                        case "l", "list" -> new CourseProgress(c).show(false);
                        case "n", "next" -> {
                            CourseCatalog.Exercise next = nextInOrder(ex);
                            if (next == null) {
                                c.out.println("There is no exercise after " + ex.id() + " left to do.");
                            } else {
                                c.out.println(c.ui.bold("Moving to exercise " + next.label())
                                        + (c.state.isDone(ex) ? "" : " (" + ex.id() + " is not done: come back to it any time)"));
                                c.state.current = next.id();
                                c.state.save(c.root);
                                ex = next;
                                check = true;
                            }
                        }
                        default -> c.out.println("Keys (then Enter): Enter re-check, n next, h hint, l list, q quit.");
                    }
                }
                if (!check && !snapshot(ex).equals(before)) {
                    sleep(60); // editors save in steps; let them finish
                    check = true;
                }
            }
        }
    }

    private CourseCatalog.Exercise nextInOrder(CourseCatalog.Exercise ex) {
        List<CourseCatalog.Exercise> all = c.catalog.exercises;
        for (int k = all.indexOf(ex) + 1; k < all.size(); k++) {
            if (!c.state.isDone(all.get(k))) {
                return all.get(k);
            }
        }
        return c.state.nextPending(all, ex);
    }

    private void startKeyReader() {
        keys = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(c.in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    keys.add(Optional.of(line));
                }
            } catch (IOException e) {
                // treated like the end of input
            }
            keys.add(Optional.empty());
        }, "course-keys");
        reader.setDaemon(true);
        reader.start();
    }

    /** Modification time and size of each file of an exercise: a change means a save. */
    private Map<Path, List<Object>> snapshot(CourseCatalog.Exercise ex) {
        Map<Path, List<Object>> snap = new LinkedHashMap<>();
        for (String p : ex.exercisePaths()) {
            Path file = c.root.resolve(p);
            try {
                snap.put(file, List.of(Files.getLastModifiedTime(file), Files.size(file)));
            } catch (IOException e) {
                snap.put(file, List.of("missing"));
            }
        }
        return snap;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
