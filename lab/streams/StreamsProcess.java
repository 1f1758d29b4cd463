//SOURCES StreamsApp.java ../LabConfig.java ../LabException.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One instance of lesson 11's application in a JVM of its own ({@link StreamsApp#main}), so that it can be killed
 * the hard way (SIGKILL: no shutdown hook, no commit, no goodbye to the group) and started again. The child runs on
 * this JVM's class path, so it has the same classes.
 */
public final class StreamsProcess implements AutoCloseable {
    /** A store partition the child restored from its changelog. */
    public record Restored(String store, int partition, long records, long millis) {}

    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private volatile long seen;

    private StreamsProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("PROGRESS seen=")) {
                        seen = Long.parseLong(line.substring("PROGRESS seen=".length()));
                    } else {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "streams-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts an instance: {@code parts} are the class names of the extractor, the windowed count, the sessions and
     * the guarantee ("at_least_once" for Kafka Streams' default), {@code settings} extra {@code name=value} settings.
     */
    public static StreamsProcess start(LabConfig lab, String input, String applicationId, Path stateDir, String instance,
                                       List<String> parts, List<String> settings) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), "StreamsApp", input, applicationId, stateDir.toString(), instance));
        command.addAll(parts);
        command.addAll(settings);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", lab.kafkaBootstrap());
        return new StreamsProcess(pb.start());
    }

    /** Events the child's topology has seen so far (its last progress line). */
    public long seen() {
        return seen;
    }

    /** Every line the child printed except its progress lines. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The store partitions the child restored from changelog topics. */
    public List<Restored> restored() {
        List<Restored> r = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("RESTORED ")) {
                String[] f = line.split(" ");
                r.add(new Restored(f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
            }
        }
        return r;
    }

    /** Waits until the child's output or progress satisfies {@code done}; throws if it dies or the time runs out. */
    public void await(String what, Predicate<StreamsProcess> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(this)) {
            if (!process.isAlive()) {
                throw new LabException("The Kafka Streams process stopped (exit " + process.exitValue() + ") before " + what
                        + "; it printed " + lines);
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("The Kafka Streams process has not " + what + " after " + timeout.toSeconds() + " s; it printed " + lines);
            }
            Thread.sleep(20);
        }
    }

    /** SIGKILL: the process ends at once, in the middle of whatever it was doing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Asks the child to close Kafka Streams cleanly (commit, leave the group) and waits for it to end. */
    public void stop() throws InterruptedException {
        try {
            stdin.write("stop\n");
            stdin.flush();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
