///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
//DEPS com.fasterxml.jackson.core:jackson-databind
//COMPILE_OPTIONS -encoding UTF-8

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How fast the course runner answers, as a learner sees it: {@code ./jbang course verify NN.K} run N times (the
 * first one starts the check JVM), then {@code ./jbang course watch}'s re-check, from saving the exercise's file to
 * the verdict on the screen, N times. Prints a table (first, median, max) and the check JVM's resident memory.
 *
 * <pre>
 *   ./jbang lab up --kafka-port 21092 --controller-port 21093 --s3-port 21000     (another terminal)
 *   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:21092 S3_ENDPOINT=http://127.0.0.1:21000 ./jbang bench/verify_time.java [--exercise 00.1] [--runs 10]
 * </pre>
 * The exercise file is saved unchanged but for a trailing comment, and put back byte for byte at the end.
 */
class VerifyTime {
    public static void main(String[] args) throws Exception {
        String exercise = option(args, "--exercise", "00.1");
        int runs = Integer.parseInt(option(args, "--runs", "10"));
        Path root = Path.of("").toAbsolutePath();
        Path file = exerciseFile(root, exercise);
        byte[] original = Files.readAllBytes(file);
        String jbang = root.resolve(System.getProperty("os.name").startsWith("Windows") ? "jbang.cmd" : "jbang").toString();
        System.out.println("Exercise " + exercise + " (" + root.relativize(file) + "), " + runs + " runs each; lab: "
                + System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "whatever the runner finds"));
        run(List.of(jbang, "course", "stop"));
        List<Long> verify = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            String out = run(List.of(jbang, "course", "verify", exercise));
            verify.add((System.nanoTime() - t0) / 1_000_000);
            if (!out.contains("PASSED") && !out.contains("FAILED") && !out.contains("DOES NOT COMPILE")) {
                throw new IllegalStateException("no verdict from course verify:\n" + out);
            }
            System.out.printf(Locale.ROOT, "  verify %2d: %6d ms%n", i + 1, verify.get(i));
        }
        long rss = checkJvmRss(root);
        List<Long> watch = new ArrayList<>();
        try {
            watch = watchRechecks(jbang, exercise, root, file, original, runs);
        } finally {
            Files.write(file, original);
        }
        System.out.println();
        System.out.println("| measure (" + runs + " runs, ms) | first | median | max |");
        System.out.println("|---|---:|---:|---:|");
        row("`course verify " + exercise + "` (first starts the check JVM)", verify);
        row("`course verify " + exercise + "` after the first", verify.subList(1, verify.size()));
        row("`course watch` re-check, save to verdict", watch);
        System.out.println();
        System.out.println("check JVM resident memory after the verify runs: " + (rss < 0 ? "?" : rss / 1024 + " MB"));
    }

    /** Starts watch, waits for its first verdict, then saves the file N times and times each verdict. */
    static List<Long> watchRechecks(String jbang, String exercise, Path root, Path file, byte[] original, int runs) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(jbang, "course", "watch", exercise).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("NO_COLOR", "1");
        Process watch = pb.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // watch ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        List<Long> times = new ArrayList<>();
        try {
            awaitVerdict(lines, 300);
            awaitLine(lines, "Watching ", 30);
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                Files.write(file, concat(original, ("\n// save " + (i + 1) + "\n").getBytes(StandardCharsets.UTF_8)));
                awaitVerdict(lines, 120);
                times.add((System.nanoTime() - t0) / 1_000_000);
                System.out.printf(Locale.ROOT, "  watch  %2d: %6d ms%n", i + 1, times.get(i));
                awaitLine(lines, "Watching ", 30);
            }
        } finally {
            try (OutputStream keys = watch.getOutputStream()) {
                keys.write("q\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException gone) {
                // ended already
            }
            if (!watch.waitFor(20, TimeUnit.SECONDS)) {
                watch.destroy();
            }
        }
        return times;
    }

    static void awaitVerdict(BlockingQueue<String> lines, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && (line.startsWith("PASSED") || line.startsWith("FAILED") || line.startsWith("DOES NOT COMPILE"))) {
                return;
            }
        }
        throw new IllegalStateException("watch showed no verdict within " + seconds + " s");
    }

    static void awaitLine(BlockingQueue<String> lines, String start, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(start)) {
                return;
            }
        }
        throw new IllegalStateException("watch did not print '" + start + "...' within " + seconds + " s");
    }

    static void row(String what, List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        long median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %d |%n", what, ms.get(0), median, sorted.get(sorted.size() - 1));
    }

    /** The check JVM's VmRSS (KiB) from its info file and /proc (Linux); -1 elsewhere. */
    static long checkJvmRss(Path root) {
        try {
            String info = Files.readString(root.resolve("target/course/check-jvm.json"));
            String pid = info.replaceAll("(?s).*\"pid\":(\\d+).*", "$1");
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no check JVM
        }
        return -1;
    }

    /** exercises/NN_slug/K_exslug/<first file> of exercise {@code id}, from course.json. */
    static Path exerciseFile(Path root, String id) throws IOException {
        for (JsonNode lesson : new ObjectMapper().readTree(root.resolve("course.json").toFile()).path("lessons")) {
            for (JsonNode ex : lesson.path("exercises")) {
                if (ex.path("id").asText().equals(id)) {
                    return root.resolve("exercises").resolve(lesson.path("id").asText() + "_" + lesson.path("slug").asText())
                            .resolve(id.substring(id.indexOf('.') + 1) + "_" + ex.path("slug").asText())
                            .resolve(ex.path("files").get(0).asText());
                }
            }
        }
        throw new IllegalArgumentException("course.json has no exercise " + id);
    }

    static String run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
