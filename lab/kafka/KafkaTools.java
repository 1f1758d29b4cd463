//SOURCES ../LabConfig.java ../LabException.java
//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
// Kafka's own command-line tools (the classes behind kafka-console-consumer.sh & co.), so a lesson can run them.
//DEPS org.apache.kafka:kafka-tools:4.1.1
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs Kafka's own command-line tools — the very classes the distribution's {@code bin/kafka-*.sh} scripts start —
 * as child processes, with a time limit, and captures what they print. The child is a JVM like this one, on this
 * JVM's class path (which holds {@code org.apache.kafka:kafka-tools}), so nothing has to be installed.
 *
 * <p>{@link #jbang} and {@link #docker} spell out the same command for a learner's terminal.
 */
public final class KafkaTools {

    /** The tools the course uses: the JBang alias (= the script's name without .sh), its main class, its client-config option. */
    public enum Tool {
        TOPICS("kafka-topics", "org.apache.kafka.tools.TopicCommand", "--command-config"),
        CONSOLE_PRODUCER("kafka-console-producer", "org.apache.kafka.tools.ConsoleProducer", "--producer.config"),
        CONSOLE_CONSUMER("kafka-console-consumer", "org.apache.kafka.tools.consumer.ConsoleConsumer", "--consumer.config"),
        CONSUMER_GROUPS("kafka-consumer-groups", "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", "--command-config");

        private final String command;
        private final String mainClass;
        private final String configOption;

        Tool(String command, String mainClass, String configOption) {
            this.command = command;
            this.mainClass = mainClass;
            this.configOption = configOption;
        }

        /** The name of the tool: the JBang alias, and the distribution's script without {@code .sh}. */
        public String command() {
            return command;
        }

        public String mainClass() {
            return mainClass;
        }
    }

    /** What a tool run left behind: its exit code (-1 when it was stopped at the time limit), its output and its errors. */
    public record Result(int exitCode, String out, String err, boolean timedOut) {
        /** stdout, line by line, without blank lines. */
        public List<String> outLines() {
            return out.lines().filter(l -> !l.isBlank()).toList();
        }

        /** stderr, line by line, without blank lines. */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /**
     * A JVM option for {@link #run(LabConfig, Tool, Duration, String, Consumer, Consumer, List, String...)}: the tool's
     * consumer logs where it sets its position ("Resetting offset for partition t-0 to position FetchPosition{offset=N ...").
     */
    public static final String LOG_POSITION = "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.consumer.internals.SubscriptionState=info";

    private KafkaTools() {}

    /** Runs {@code tool} against the lab's Kafka with {@code args}; see {@link #run(LabConfig, Tool, Duration, String, Consumer, String...)}. */
    public static Result run(LabConfig lab, Tool tool, Duration timeout, String... args) {
        return run(lab, tool, timeout, null, null, args);
    }

    /**
     * Runs {@code tool} as a child JVM: {@code --bootstrap-server} (and a client-config file, when the lab needs
     * security settings) come first, then {@code args}. {@code stdin} is fed to the tool (null: none);
     * {@code onLine} sees each stdout line as it is printed (null: nobody). Stops the tool at {@code timeout}.
     */
    public static Result run(LabConfig lab, Tool tool, Duration timeout, String stdin, Consumer<String> onLine, String... args) {
        return run(lab, tool, timeout, stdin, onLine, null, List.of(), args);
    }

    /**
     * The same, with {@code onErrLine} seeing each stderr line as it is printed (null: nobody) and {@code jvmOptions}
     * added to the tool's JVM (e.g. {@link #LOG_POSITION}).
     */
    public static Result run(LabConfig lab, Tool tool, Duration timeout, String stdin, Consumer<String> onLine,
                             Consumer<String> onErrLine, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a tool lives a few seconds: skip the optimising compiler and the parallel GC, which only slow its start
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss1m"));
        // like the distribution's tools: warnings and errors only
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dslf4j.internal.verbosity=WARN"));
        // the tool's output is read here as UTF-8 (pump): make it write UTF-8 whatever the locale says. Record values
        // pass through as bytes anyway; its own text (topic and group names, errors) would follow the locale.
        // file.encoding: JDK 17's default charset; sun.std*.encoding: JDK 17's System.out/err; std*.encoding: JDK 19+
        command.addAll(List.of("-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8", "-Dsun.stderr.encoding=UTF-8",
                "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), tool.mainClass()));
        command.addAll(toolArgs(lab, tool));
        command.addAll(Arrays.asList(args));

        ProcessBuilder builder = new ProcessBuilder(command);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new LabException("Could not start " + tool.command() + " (" + e.getMessage() + ")", e);
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread outReader = pump(process.getInputStream(), out, onLine, tool.command() + "-stdout");
        Thread errReader = pump(process.getErrorStream(), err, onErrLine, tool.command() + "-stderr");
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the tool ended before reading its input: what it printed says why
        }
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
            outReader.join(5_000);
            errReader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while " + tool.command() + " was running", e);
        }
        synchronized (out) {
            synchronized (err) {
                return new Result(timedOut ? -1 : process.exitValue(), out.toString(), err.toString(), timedOut);
            }
        }
    }

    /** The same command for a terminal in the course folder: {@code ./jbang kafka-... --bootstrap-server <lab> args}. */
    public static String jbang(LabConfig lab, Tool tool, String... args) {
        String config = "";
        if (!lab.kafkaClientSettings().isEmpty()) { // a secured cluster: the tool needs the same client settings file
            String file = LabConfig.setting("KAFKA_CLIENT_PROPERTIES");
            config = " " + tool.configOption + " " + (file == null ? "$KAFKA_CLIENT_PROPERTIES" : join(file).strip());
        }
        return "./jbang " + tool.command() + " --bootstrap-server " + lab.kafkaBootstrap() + config + join(args);
    }

    /** The same command inside the docker compose lab's Kafka container. */
    public static String docker(Tool tool, String... args) {
        return "docker exec -it kafka /opt/kafka/bin/" + tool.command() + ".sh --bootstrap-server localhost:9092" + join(args);
    }

    /**
     * Reads a table the tools print (e.g. {@code kafka-consumer-groups --describe}): the first line whose words are
     * all upper case is the header; each following line with as many words is a row, header word → value.
     * Lines with another number of words (messages, blank lines) are skipped.
     */
    public static List<Map<String, String>> table(String printed) {
        List<Map<String, String>> rows = new ArrayList<>();
        String[] header = null;
        for (String line : printed.lines().toList()) {
            String[] words = line.trim().split("\\s+");
            if (line.isBlank()) {
                continue;
            }
            if (header == null) {
                if (Arrays.stream(words).allMatch(w -> w.matches("[A-Z][A-Z0-9-]*"))) {
                    header = words;
                }
                continue;
            }
            if (words.length == header.length) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < words.length; i++) {
                    row.put(header[i], words[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<String> toolArgs(LabConfig lab, Tool tool) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", lab.kafkaBootstrap()));
        if (!lab.kafkaClientSettings().isEmpty()) {
            // a shared cluster's security settings (KAFKA_CLIENT_PROPERTIES) go to the tool as its config file
            args.add(tool.configOption);
            args.add(clientConfigFile(lab).toString());
        }
        return args;
    }

    private static Path clientConfigFile(LabConfig lab) {
        try {
            Path file = Files.createTempFile("kafka-tool-client", ".properties");
            file.toFile().deleteOnExit();
            Properties props = new Properties();
            props.putAll(lab.kafkaClientSettings());
            props.remove("bootstrap.servers");
            try (Writer w = Files.newBufferedWriter(file)) {
                props.store(w, "client settings of the lab, for Kafka's tools");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the client settings for Kafka's tools", e);
        }
    }

    private static Thread pump(InputStream stream, StringBuilder sink, Consumer<String> onLine, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (sink) {
                        sink.append(line).append('\n');
                    }
                    if (onLine != null) {
                        onLine.accept(line);
                    }
                }
            } catch (IOException e) {
                // the process was stopped: keep what was read
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String join(String... args) {
        StringBuilder s = new StringBuilder();
        for (String a : args) {
            s.append(' ').append(a.isEmpty() || a.matches(".*[\\s'\"$*?].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return s.toString();
    }
}
