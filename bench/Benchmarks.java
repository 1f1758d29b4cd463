///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.apache.kafka:kafka-tools:4.1.1
//SOURCES ../lab/clickhouse/ChdbBridge.java ../lab/clickhouse/ClickHouse.java ../lab/events/Clickstream.java ../lab/embedded/EmbeddedLab.java ../lab/LabConfig.java ../lab/kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../lab/kafka/ClickstreamProducer.java ../tools/bench/ClickHouseKafkaEngineBench.java
//SOURCES ../solutions/04_clickstream/3_preferred_settings/PreferredSettings.java ../solutions/04_clickstream/4_clickstream_sender/ClickstreamSender.java
//SOURCES ProcessCpu.java
//MAIN Benchmarks
//JAVA_OPTIONS -Xmx2g -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dorg.slf4j.simpleLogger.log.org.apache.kafka.controller=error -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.apache.kafka.tools.ConsumerPerformance;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * The course's benchmarks, against one embedded broker and S3 started here on free ports (and a chDB bridge reading
 * that broker), so every figure in a run shares the same machine state. Reports ratios, which survive a noisy machine,
 * as a table (Markdown, ready for docs/benchmarks.md) and as a bar chart (PNG).
 *
 *   ./jbang bench/Benchmarks.java [--events 200000] [--rounds 5] [--sink-events 1000000] [--chart docs/benchmarks.png]
 *
 * Producer: the clickstream generator (lesson 04) against Kafka's own ProducerPerformance sending the generator's
 * own JSON events (same record sizes) with the same producer settings; and the original project's flush-per-message
 * mode. Sink: the lesson 06 sink (bench/06_sink_throughput.java in a JVM of its own, so heap and RSS are its own, and
 * Parquet's Hadoop dependencies stay off this JVM's classpath, where they break S3Proxy) draining a pre-filled topic of
 * 1 and 3 partitions, against Kafka's own ConsumerPerformance reading the same topic (the ceiling), and how heap and
 * RSS move with BATCH_SIZE. ClickHouse: seconds for lesson 08's Kafka engine to ingest 100,000 events.
 */
class Benchmarks {
    /** One line of the table: a measure, its value, and its ratio to the ceiling it is compared with (NaN: none). */
    record Row(String section, String measure, double value, String unit, double ratio, String goal, String note) {}

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        int events = intOption(a, "--events", 200_000);
        int rounds = intOption(a, "--rounds", 5);
        int sinkEvents = intOption(a, "--sink-events", 1_000_000); // ~6 s a drain: at 200,000 (~1.5 s) the JIT's warm-up was much of it
        int clickhouseEvents = intOption(a, "--clickhouse-events", 100_000);
        Path chart = Path.of(stringOption(a, "--chart", "docs/benchmarks.png"));
        long t0 = System.nanoTime();
        System.out.printf("Benchmarks: %,d events per producer run, 1 warm-up + %d rounds (median), %,d events per sink run; %d cores, Java %s, %s %s%n",
                events, rounds, sinkEvents, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"));
        List<Row> rows = new ArrayList<>();
        try (EmbeddedLab lab = EmbeddedLab.start(EmbeddedLab.Options.throwaway())) {
            LabConfig config = lab.config();
            producer(config, events, rounds, rows);
            sink(config, sinkEvents, rows);
            clickhouse(config, clickhouseEvents, rows);
        }
        System.out.println();
        System.out.println("| section | measure | value | ratio | goal | note |");
        System.out.println("|---|---|---:|---:|---|---|");
        for (Row r : rows) {
            System.out.printf("| %s | %s | %s %s | %s | %s | %s |%n", r.section(), r.measure(),
                    String.format(r.value() < 100 ? "%,.1f" : "%,.0f", r.value()), r.unit(),
                    Double.isNaN(r.ratio()) ? "" : String.format("%.2f", r.ratio()), r.goal(), r.note());
        }
        writeChart(rows, chart);
        System.out.printf("%nChart: %s. Whole run: %.0f s.%n", chart, (System.nanoTime() - t0) / 1e9);
    }

    static void producer(LabConfig lab, int events, int rounds, List<Row> rows) throws Exception {
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

        Properties settings = ClickstreamProducer.config(lab, PreferredSettings.preferred());
        List<String> producerProps = new ArrayList<>();
        for (String k : settings.stringPropertyNames()) {
            if (!k.endsWith("serializer")) {
                producerProps.add(k + "=" + settings.getProperty(k));
            }
        }
        // one warm-up round each (not counted: the JIT compiles both paths), then `rounds` rounds, alternating
        double[] tool = new double[rounds];
        double[] generator = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = -1; r < rounds; r++) {
            String t1 = "bench-tool-" + (r + 1);
            LabKafka.ensureTopic(lab, t1, 3);
            double toolRate = producerPerformance(t1, events, payloads, producerProps);
            String t2 = "bench-generator-" + (r + 1);
            LabKafka.ensureTopic(lab, t2, 3);
            double generatorRate = ClickstreamProducer.run(lab, PreferredSettings.preferred(), new ClickstreamSender(), ClickstreamProducer.Options.count(t2, events), new Clickstream(r + 1),
                    line -> { }).perSecond();
            System.out.printf("%s: ProducerPerformance %,.0f/s, generator %,.0f/s (%.2f)%n", r < 0 ? "warm-up" : "round " + (r + 1), toolRate,
                    generatorRate, generatorRate / toolRate);
            if (r >= 0) {
                tool[r] = toolRate;
                generator[r] = generatorRate;
                ratio[r] = generatorRate / toolRate;
            }
        }
        // what the generator does that ProducerPerformance does not (it sends ready-made bytes): make the event and its JSON
        Clickstream alone = new Clickstream(5);
        long chars = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < events; i++) {
            chars += alone.next().toJson().length();
        }
        double generateOnly = events / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("events + JSON without Kafka: %,.0f/s (%.2f us/event, %,d chars)%n", generateOnly, 1e6 / generateOnly, chars);
        String t3 = "bench-original";
        LabKafka.ensureTopic(lab, t3, 3);
        int originalEvents = Math.min(events, 3_000);
        ClickstreamProducer.Result original = ClickstreamProducer.run(lab, ClickstreamProducer.originalSettings(), new ClickstreamSender(),
                new ClickstreamProducer.Options(t3, originalEvents, java.time.Duration.ZERO, 0, true), new Clickstream(7), line -> { });
        double ceiling = median(tool);
        rows.add(new Row("producer", "Kafka ProducerPerformance, same records and settings (ceiling)", ceiling, "events/s", 1.0, "", ""));
        rows.add(new Row("producer", "clickstream generator, preferred settings", median(generator), "events/s", median(ratio), ">= 0.8",
                "ratio = median of the per-round ratios " + Arrays.toString(Arrays.stream(ratio).map(x -> Math.round(x * 100) / 100.0).toArray())));
        rows.add(new Row("producer", "making events + JSON only, no Kafka (the generator's own work)", generateOnly, "events/s",
                generateOnly / ceiling, "", String.format("%.2f us/event", 1e6 / generateOnly)));
        rows.add(new Row("producer", "generator, original flush-per-message (" + originalEvents + " events)", original.perSecond(),
                "events/s", original.perSecond() / ceiling, "", "one round trip per event"));
    }

    /**
     * The sink: two topics (1 and 3 partitions) filled with the same generated events; on each, Kafka's
     * ConsumerPerformance (fetch rate, without the group join: the ceiling), then the sink with BATCH_SIZE 10,000
     * (sustained rate, also without the join); then BATCH_SIZE 1,000 and 50,000 on the 1-partition topic.
     */
    static void sink(LabConfig lab, int events, List<Row> rows) throws Exception {
        double[] sustainedAtDefault = new double[2];
        long heapPeak = 0;
        for (int partitions : new int[] {1, 3}) {
            String topic = "bench-sink-" + partitions + "p";
            sinkScript(lab, "--fill", topic, "--partitions", Integer.toString(partitions), "--events", Integer.toString(events));
            double ceiling = consumerPerformance(lab, topic, events);
            rows.add(new Row("sink", "Kafka ConsumerPerformance, " + partitions + " partition(s) (ceiling)", ceiling, "records/s", 1.0, "",
                    "fetch rate, group join excluded"));
            List<Integer> batchSizes = partitions == 1 ? List.of(1_000, 10_000, 50_000) : List.of(10_000);
            for (int batch : batchSizes) {
                long cpuBefore = ProcessCpu.nanos();
                SinkResult r = SinkResult.parse(sinkScript(lab, "--drain", topic, "--partitions", Integer.toString(partitions),
                        "--batch", Integer.toString(batch)));
                // this JVM is the lab (broker + S3) while the sink's JVM drains the topic: twice to warm up, then measured
                double labCpu = (ProcessCpu.nanos() - cpuBefore) / 1e3 / (DRAINS_PER_SINK_RUN * (double) events);
                System.out.printf("sink %dp BATCH_SIZE %,d: %s; the lab's CPU %.2f us per record%n", partitions, batch, r, labCpu);
                if (partitions == 1 && batch == 10_000) {
                    cpuBudget(ceiling, labCpu, r.cpuMicrosPerRecord(), rows);
                }
                if (batch == 10_000) {
                    sustainedAtDefault[partitions == 1 ? 0 : 1] = r.sustained();
                }
                heapPeak = Math.max(heapPeak, r.peakHeapMb());
                rows.add(new Row("sink", String.format("Parquet sink, %d partition(s), BATCH_SIZE %,d", partitions, batch), r.sustained(),
                        "records/s", r.sustained() / ceiling, batch == 10_000 && partitions == 1 ? ">= 0.5" : "",
                        String.format("%,d files; heap peak %,d MB, after a GC at most %,d MB; RSS peak %,d MB (-Xmx128m); "
                                + "%.1f us of CPU per record", r.files(), r.peakHeapMb(), r.peakLiveMb(), r.peakRssMb(), r.cpuMicrosPerRecord())));
            }
        }
        rows.add(new Row("sink", "3 partitions / 1 partition, BATCH_SIZE 10,000 (one instance)", sustainedAtDefault[1], "records/s",
                sustainedAtDefault[1] / sustainedAtDefault[0], ">= 1.0", "several partitions must not be slower than one"));
        rows.add(new Row("sink", "heap peak over every BATCH_SIZE and partition count", heapPeak, "MB", Double.NaN, "<= 128",
                "used heap sampled every 50 ms, garbage included"));
    }

    /** bench/06_sink_throughput.java --drain drains the topic 3 times: 2 warm-ups (SinkMeasure.drain), then the measured one. */
    static final int DRAINS_PER_SINK_RUN = 3;

    /**
     * Where the CPU goes, per record, against what 0.5 of ConsumerPerformance leaves: at that rate all the machine's cores
     * give each record cores / (0.5 x ceiling) of CPU, for the sink's JVM and the lab (broker + S3) together.
     */
    static void cpuBudget(double ceiling, double labCpu, double sinkCpu, List<Row> rows) {
        int cores = Runtime.getRuntime().availableProcessors();
        double budget = cores / (0.5 * ceiling) * 1e6;
        rows.add(new Row("sink", "CPU per record: the lab (broker + S3) while the sink drains (1 partition, BATCH_SIZE 10,000)", labCpu,
                "us", Double.NaN, "", "the S3 server receives and writes every Parquet object"));
        rows.add(new Row("sink", "CPU per record: the sink's own JVM (same drain)", sinkCpu, "us", Double.NaN, "",
                "fetch, parse, Parquet, upload, GC, JIT"));
        rows.add(new Row("sink", "CPU per record that 0.5 of ConsumerPerformance leaves, sink and lab together", budget, "us", Double.NaN,
                String.format("%.1f + %.1f <= %.1f", labCpu, sinkCpu, budget), cores + " cores / (0.5 x ceiling)"));
    }

    /** What bench/06_sink_throughput.java --drain prints: the fields of its RESULT line (see SinkMeasure.Result). */
    record SinkResult(int partitions, int batchSize, long records, long files, double sustained, double overall,
                      long peakHeapMb, long peakLiveMb, long peakRssMb, double cpuMicrosPerRecord) {
        static SinkResult parse(String line) {
            String[] f = line.trim().split(" ");
            return new SinkResult(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]),
                    Double.parseDouble(f[10]));
        }
    }

    /**
     * Runs bench/06_sink_throughput.java with {@code args} through ./jbang, in a JVM of its own (-Xmx128m: the sink bounds its memory by bytes, so it fits at any BATCH_SIZE) pointed at this
     * lab; returns its RESULT line (or "" when it prints none and exits 0).
     */
    static String sinkScript(LabConfig lab, String... args) throws Exception {
        Path root = EmbeddedLab.courseRoot();
        List<String> command = new ArrayList<>(List.of(root.resolve("jbang").toString(), "-R-Xmx128m", "bench/06_sink_throughput.java"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", lab.kafkaBootstrap());
        pb.environment().put("S3_ENDPOINT", lab.s3Endpoint());
        pb.environment().put("S3_ACCESS_KEY", lab.s3AccessKey());
        pb.environment().put("S3_SECRET_KEY", lab.s3SecretKey());
        pb.environment().put("S3_BUCKET", lab.bucket());
        Process p = pb.start();
        List<String> output = new ArrayList<>();
        String result = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || (args[0].equals("--drain") && result.isEmpty())) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + String.join("\n", output));
        }
        return result;
    }

    /** Kafka's own consumer benchmark on {@code topic}, in this JVM: its fetch.nMsg.sec (records/s without the group join). */
    static double consumerPerformance(LabConfig lab, String topic, int events) throws Exception {
        String text = captureStdout(() -> ConsumerPerformance.main(new String[] {"--bootstrap-server", lab.kafkaBootstrap(),
                "--topic", topic, "--messages", Integer.toString(events), "--group", topic + "-perf", "--timeout", "60000"}));
        // header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
        // fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", then one line of values
        String[] lines = text.strip().split("\\R");
        String[] values = lines[lines.length - 1].split(",\\s*");
        if (values.length < 10) {
            throw new IllegalStateException("ConsumerPerformance printed no result line:\n" + text);
        }
        System.out.printf("ConsumerPerformance %s: %s records, %s records/s overall, %s ms rebalance, %s records/s fetching%n", topic,
                values[4], values[5], values[6], values[9]);
        return Double.parseDouble(values[9]);
    }

    /** Lesson 08's Kafka engine (the chDB bridge, started here against this lab's broker) ingesting {@code events}. */
    static void clickhouse(LabConfig lab, int events, List<Row> rows) {
        String missing = ChdbBridge.missing(EmbeddedLab.courseRoot());
        if (missing != null) {
            rows.add(new Row("clickhouse", "Kafka engine, " + String.format("%,d", events) + " events", Double.NaN, "s", Double.NaN, "",
                    "skipped: " + missing));
            return;
        }
        try (ChdbBridge bridge = ChdbBridge.start(EmbeddedLab.courseRoot(), 0, null, lab, System.out::println);
             ClickHouse ch = ClickHouse.connect(lab.withClickhouse(bridge.url(), "the bench's chDB bridge"))) {
            ClickHouseKafkaEngineBench.Measured m = ClickHouseKafkaEngineBench.measure(ch, lab, lab.kafkaBootstrap(), events);
            System.out.println("ClickHouse: " + ch.describe());
            rows.add(new Row("clickhouse", String.format("lesson 08 Kafka engine (chDB bridge) ingesting %,d events", events),
                    m.consumeSeconds(), "s", Double.NaN, "", String.format("%,.0f events/s; %,d rows", m.perSecond(), m.rows())));
        }
    }

    /** Runs Kafka's own producer benchmark in this JVM and reads its records/sec from what it prints. */
    static double producerPerformance(String topic, int events, Path payloads, List<String> props) throws Exception {
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", Integer.toString(events),
                "--throughput", "-1", "--payload-file", payloads.toString(), "--producer-props"));
        args.addAll(props);
        String text = captureStdout(() -> ProducerPerformance.main(args.toArray(String[]::new)));
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

    interface Main {
        void run() throws Exception;
    }

    /** Runs a tool's main in this JVM and returns what it printed. */
    static String captureStdout(Main main) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** A bar chart of every ratio, with the goals as dashed lines: what docs/benchmarks.md shows. */
    static void writeChart(List<Row> rows, Path file) throws Exception {
        List<Row> bars = rows.stream().filter(r -> !Double.isNaN(r.ratio()) && r.ratio() != 1.0).toList();
        int barH = 34;
        int left = 430;
        int width = 1000;
        int plotW = width - left - 60;
        int height = 70 + bars.size() * (barH + 12) + 60;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Throughput as a ratio of Kafka's own tools (1.0 = ProducerPerformance / ConsumerPerformance)", 20, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        double max = Math.max(1.0, bars.stream().mapToDouble(Row::ratio).max().orElse(1.0));
        int y = 60;
        for (Row r : bars) {
            int w = (int) Math.round(plotW * r.ratio() / max);
            boolean met = r.goal().isEmpty() || r.ratio() >= Double.parseDouble(r.goal().replace(">=", "").trim());
            g.setColor(r.goal().isEmpty() ? new Color(150, 150, 150) : met ? new Color(60, 140, 80) : new Color(200, 90, 60));
            g.fillRect(left, y, Math.max(w, 1), barH);
            g.setColor(Color.BLACK);
            String label = r.section() + ": " + r.measure();
            g.drawString(label.length() > 62 ? label.substring(0, 61) + "…" : label, 10, y + barH / 2 + 5);
            g.drawString(String.format("%.2f", r.ratio()), left + Math.max(w, 1) + 6, y + barH / 2 + 5);
            if (!r.goal().isEmpty()) {
                double goal = Double.parseDouble(r.goal().replace(">=", "").trim());
                int x = left + (int) Math.round(plotW * goal / max);
                g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
                g.drawLine(x, y - 4, x, y + barH + 4);
                g.setStroke(new BasicStroke(1));
            }
            y += barH + 12;
        }
        int x1 = left + (int) Math.round(plotW / max);
        g.setColor(Color.DARK_GRAY);
        g.drawLine(left, 52, left, y);
        g.drawLine(x1, 52, x1, y);
        g.drawString("0", left - 4, y + 16);
        g.drawString("1.0", x1 - 8, y + 16);
        g.drawString("dashed line: goal   green: goal met   red: goal missed   grey: no goal", left, y + 40);
        g.dispose();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        ImageIO.write(img, "png", file.toFile());
    }

    static String stringOption(List<String> args, String name, String dflt) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : dflt;
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
