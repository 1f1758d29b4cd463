///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.apache.kafka:kafka-tools:4.1.1
//SOURCES ../lab/LabConfig.java ../lab/LabException.java ../lab/LabKafka.java ../lab/LabS3.java ../lab/Todo.java
//SOURCES ../lab/EmbeddedLab.java ../lab/EmbeddedKafka.java ../lab/EmbeddedS3.java
//SOURCES ../lab/EventType.java ../lab/MusicEvent.java ../lab/MalformedEventException.java ../lab/Clickstream.java
//SOURCES ../solutions/04_clickstream/ClickstreamProducer.java
//MAIN Benchmarks
//JAVA_OPTIONS -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dorg.slf4j.simpleLogger.log.org.apache.kafka.controller=error -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.tools.ProducerPerformance;

/**
 * The course's benchmarks, against one embedded broker (and S3) started here on free ports, so every
 * figure in a run shares the same machine state. Reports ratios, which survive a noisy machine.
 *
 *   ./jbang bench/Benchmarks.java [--events 200000] [--rounds 3]
 *
 * Producer: the clickstream generator (lesson 04) against Kafka's own ProducerPerformance sending the
 * generator's own JSON events (same record sizes) with the same producer settings; and the original
 * project's flush-per-message mode.
 */
class Benchmarks {
    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        int events = intOption(a, "--events", 200_000);
        int rounds = intOption(a, "--rounds", 3);
        System.out.printf("Benchmarks: %,d events per run, %d rounds (median), %d cores, Java %s%n",
                events, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (EmbeddedLab lab = EmbeddedLab.start(EmbeddedLab.Options.throwaway())) {
            LabConfig config = lab.config();
            Map<String, Double> rows = new LinkedHashMap<>();
            producer(config, events, rounds, rows);
            System.out.println();
            System.out.printf("%-58s %14s %8s%n", "measure", "events/s", "ratio");
            double ceiling = rows.values().iterator().next();
            rows.forEach((name, v) -> System.out.printf("%-58s %,14.0f %8.2f%n", name, v, v / ceiling));
        }
    }

    static void producer(LabConfig lab, int events, int rounds, Map<String, Double> rows) throws Exception {
        // the generator's own events as ProducerPerformance's payloads: same sizes, same compressibility
        Path payloads = Files.createTempFile("music-events", ".jsonl");
        Clickstream sample = new Clickstream(99);
        StringBuilder sb = new StringBuilder();
        long bytes = 0;
        for (int i = 0; i < 10_000; i++) {
            String json = sample.next().toJson();
            bytes += json.length();
            sb.append(json).append('\n');
        }
        Files.writeString(payloads, sb);
        System.out.printf("payloads: 10,000 generated events, %.0f bytes on average%n", bytes / 10_000.0);

        Properties settings = ClickstreamProducer.preferredConfig(lab);
        List<String> producerProps = new ArrayList<>();
        for (String k : settings.stringPropertyNames()) {
            if (!k.endsWith("serializer")) {
                producerProps.add(k + "=" + settings.getProperty(k));
            }
        }
        double[] tool = new double[rounds];
        double[] generator = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            String t1 = "bench-tool-" + r;
            LabKafka.ensureTopic(lab, t1, 3);
            tool[r] = producerPerformance(t1, events, payloads, producerProps);
            String t2 = "bench-generator-" + r;
            LabKafka.ensureTopic(lab, t2, 3);
            ClickstreamProducer.Result res = ClickstreamProducer.run(lab, ClickstreamProducer.Options.count(t2, events),
                    new Clickstream(r), line -> { });
            generator[r] = res.perSecond();
            System.out.printf("round %d: ProducerPerformance %,.0f/s, generator %,.0f/s%n", r + 1, tool[r], generator[r]);
        }
        String t3 = "bench-original";
        LabKafka.ensureTopic(lab, t3, 3);
        int originalEvents = Math.min(events, 3_000);
        ClickstreamProducer.Result original = ClickstreamProducer.run(lab,
                new ClickstreamProducer.Options(t3, originalEvents, java.time.Duration.ZERO, 0, true), new Clickstream(7), line -> { });
        rows.put("producer: Kafka ProducerPerformance (ceiling)", median(tool));
        rows.put("producer: clickstream generator, preferred settings", median(generator));
        rows.put("producer: generator, original flush-per-message (" + originalEvents + ")", original.perSecond());
    }

    /** Runs Kafka's own producer benchmark in this JVM and reads its records/sec from what it prints. */
    static double producerPerformance(String topic, int events, Path payloads, List<String> props) throws Exception {
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", Integer.toString(events),
                "--throughput", "-1", "--payload-file", payloads.toString(), "--producer-props"));
        args.addAll(props);
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec").matcher(text);
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(2)); // the final summary line comes last
        }
        if (Double.isNaN(last)) {
            throw new IllegalStateException("ProducerPerformance printed no summary:\n" + text);
        }
        return last;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    static int intOption(List<String> args, String name, int dflt) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : dflt;
    }
}
