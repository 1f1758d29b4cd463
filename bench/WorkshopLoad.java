///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/kafka/LabTopics.java ../lab/kafka/ConsumerLoop.java ../lab/lake/LabS3.java
//SOURCES ../lab/kafka/GroupWorker.java ../lab/kafka/ClickstreamProducer.java ../lab/events/Clickstream.java
//SOURCES ../solutions/01_simple_producer/1_producer_settings/ProducerSettings.java ../solutions/01_simple_producer/2_person_message/PersonMessage.java
//SOURCES ../solutions/01_simple_producer/3_send_with_callback/SendWithCallback.java ../solutions/02_cli_and_groups/1_group_settings/GroupSettings.java
//SOURCES ../solutions/02_cli_and_groups/2_commit_after_batch/CommitAfterBatch.java ../solutions/02_cli_and_groups/4_group_lag/GroupLag.java
//SOURCES ../solutions/02_cli_and_groups/5_reset_offsets/ResetOffsets.java ../solutions/03_partitions_and_keys/3_commit_on_revoke/CommitOnRevoke.java
//SOURCES ../solutions/04_clickstream/3_preferred_settings/PreferredSettings.java ../solutions/04_clickstream/4_clickstream_sender/ClickstreamSender.java
//COMPILE_OPTIONS -encoding UTF-8
//MAIN WorkshopLoad
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dslf4j.internal.verbosity=WARN

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import net.datafaker.Faker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The load a workshop puts on one lab: N simulated learners at once, each in their own namespace, doing the Kafka work
 * of lessons 01-04 (people into my_topic; group reads, lag, offset resets and a read with no group as in lesson 02; a
 * 3-partition topic re-created, keyed sends and a group of two members plus an audit group as in lesson 03; 2,000
 * clickstream events as in lesson 04; 24 Parquet-sized objects written and read back, as lessons 06 and 07 do with S3)
 * and sending their progress to the room's topic. Measured from the lab's side (Kafka and S3 in one process): the
 * CPU time its process used (/proc), its memory, and the topics, partitions and groups the room made. The learners'
 * own JVMs are not part of it (each runs on a learner's laptop); here they are threads of this JVM.
 *
 * <pre>
 * ./jbang lab up --kafka-port 29092 --controller-port 29093 --s3-port 29000 --no-clickhouse &
 * KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:29092 S3_ENDPOINT=http://127.0.0.1:29000 ./jbang bench/WorkshopLoad.java --learners 1,5,20 --lab-pid &lt;the lab's pid&gt;
 * </pre>
 */
class WorkshopLoad {
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        long pid = Long.parseLong(opt.getOrDefault("--lab-pid", "0"));
        if (pid == 0 || !Files.exists(Path.of("/proc", Long.toString(pid), "stat"))) {
            System.err.println("--lab-pid <pid>: the process of the lab to measure (Linux /proc), e.g. "
                    + "$(ss -ltnp | grep ':29092 ' | grep -o 'pid=[0-9]*' | cut -d= -f2)");
            System.exit(64);
        }
        LabConfig base = LabConfig.fromEnvironment().withLearner("");
        LabKafka.probe(base, Duration.ofSeconds(10));
        System.out.println("Lab at " + base.kafkaBootstrap() + " (pid " + pid + "), " + Runtime.getRuntime().availableProcessors() + " cores here");
        System.out.printf("%8s %8s %10s %12s %10s %9s %7s %11s %7s%n", "learners", "wall s", "lab CPU s", "CPU s/learner",
                "lab cores", "lab RSS MB", "topics", "partitions", "groups");
        int round = 0;
        String run = Long.toString(System.currentTimeMillis() / 1000 % 1_679_616, 36); // new names on every run of the bench
        for (String n : opt.getOrDefault("--learners", "1,20").split(",")) {
            int learners = Integer.parseInt(n.trim());
            round++;
            Counts before = counts(base);
            double cpu0 = cpuSeconds(pid);
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(learners);
            List<Future<?>> all = new ArrayList<>();
            for (int i = 1; i <= learners; i++) {
                LabConfig lab = base.withLearner(String.format(Locale.ROOT, "w%sr%dl%02d", run, round, i));
                all.add(pool.submit(() -> {
                    learner(lab);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(30, TimeUnit.MINUTES);
            }
            pool.shutdown();
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuSeconds(pid) - cpu0;
            Counts after = counts(base);
            System.out.printf(Locale.ROOT, "%8d %8.1f %10.1f %12.2f %10.2f %9d %7d %11d %7d%n", learners, wall, cpu, cpu / learners, cpu / wall,
                    rssMb(pid), after.topics - before.topics, after.partitions - before.partitions, after.groups - before.groups);
        }
        Counts total = counts(base);
        System.out.println("On the lab now: " + total.topics + " topics, " + total.partitions + " partitions, " + total.groups + " groups.");
    }

    /** One learner's lessons 01-04, as far as Kafka sees them. */
    static void learner(LabConfig lab) throws Exception {
        String topic = lab.topic("my_topic");
        LabKafka.ensureTopic(lab, topic, 1);
        people(lab, topic, 10);                                                            // lesson 01
        room(lab, "01.1");
        String cli = lab.group("mygroupcli");
        String java = lab.group("mygroupjava");
        LabTopics.deleteGroups(lab, List.of(cli, java));                                   // lesson 02
        for (int i = 0; i < 3; i++) {                                                      // the console consumer's three ways
            ConsumerLoop.run(GroupSettings.config(lab, cli), topic, Duration.ofSeconds(1), new CommitAfterBatch(), r -> { });
            people(lab, topic, 3);
        }
        Instant mark = Instant.now();
        for (int i = 0; i < 2; i++) {
            ConsumerLoop.run(GroupSettings.config(lab, java), topic, Duration.ofSeconds(1), new CommitAfterBatch(), r -> { });
        }
        people(lab, topic, 4);
        try (Admin admin = LabKafka.admin(lab)) {
            GroupLag.lag(admin, java, topic);
            GroupLag.lag(admin, cli, topic);
            ResetOffsets.toEarliest(admin, java, topic);
            ConsumerLoop.run(GroupSettings.config(lab, java), topic, Duration.ofSeconds(1), new CommitAfterBatch(), r -> { });
            ResetOffsets.toTime(admin, java, topic, mark);
            ConsumerLoop.run(GroupSettings.config(lab, java), topic, Duration.ofSeconds(1), new CommitAfterBatch(), r -> { });
        }
        LabTopics.readAll(lab, topic, Duration.ofSeconds(30));
        room(lab, "02.1");
        String events = lab.topic("user_events");                                          // lesson 03
        LabTopics.deleteGroups(lab, List.of(lab.group("lesson03-readers"), lab.group("lesson03-audit")));
        LabTopics.recreate(lab, events, 3);
        AtomicInteger seen = new AtomicInteger();
        try (GroupWorker a = GroupWorker.start(lab, events, lab.group("lesson03-readers"), "A", new CommitOnRevoke(), (w, r) -> seen.incrementAndGet());
             GroupWorker b = GroupWorker.start(lab, events, lab.group("lesson03-readers"), "B", new CommitOnRevoke(), (w, r) -> seen.incrementAndGet());
             GroupWorker c = GroupWorker.start(lab, events, lab.group("lesson03-audit"), "C", new CommitOnRevoke(), (w, r) -> seen.incrementAndGet())) {
            keyed(lab, events, 60);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (seen.get() < 120 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        room(lab, "03.1");
        String music = lab.topic("music_events");                                          // lesson 04
        LabKafka.ensureTopic(lab, music, 3);
        ClickstreamProducer.run(lab, PreferredSettings.preferred(), new ClickstreamSender(), ClickstreamProducer.Options.count(music, 2_000),
                new Clickstream(42), line -> { });
        room(lab, "04.1");
        byte[] file = new byte[30_000];                                                    // lessons 06-07: the lake
        new java.util.Random(6).nextBytes(file);
        try (io.minio.MinioClient s3 = LabS3.client(lab)) {
            for (int i = 0; i < 24; i++) {
                s3.putObject(io.minio.PutObjectArgs.builder().bucket(lab.bucket()).object(lab.s3Key("music_events/part-" + i + ".parquet"))
                        .stream(new java.io.ByteArrayInputStream(file), file.length, -1).build());
            }
            for (var r : s3.listObjects(io.minio.ListObjectsArgs.builder().bucket(lab.bucket()).prefix(lab.s3Key("music_events/")).recursive(true).build())) {
                try (var in = s3.getObject(io.minio.GetObjectArgs.builder().bucket(lab.bucket()).object(r.get().objectName()).build())) {
                    in.readAllBytes();
                }
            }
        }
        room(lab, "07.1");
    }

    static void people(LabConfig lab, String topic, int count) {
        Faker faker = new Faker(Locale.forLanguageTag("ru"));
        List<String> people = Stream.generate(() -> PersonMessage.person(faker, Instant.now())).limit(count).toList();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(ProducerSettings.config(lab, "workshop-load"))) {
            SendWithCallback.sendAll(producer, topic, people);
        }
    }

    static void keyed(LabConfig lab, String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(ProducerSettings.config(lab, "workshop-load-keyed"))) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "user-" + (i % 6), "event " + i));
            }
            producer.flush();
        }
    }

    /** A progress record, as the course runner sends one per verify or hint. */
    static void room(LabConfig lab, String exercise) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(ProducerSettings.config(lab, "workshop-load-room"))) {
            producer.send(new ProducerRecord<>("course-room", lab.learner(), "{\"learner\":\"" + lab.learner() + "\",\"exercise\":\""
                    + exercise + "\",\"state\":\"started\"}")).get(30, TimeUnit.SECONDS);
        }
    }

    record Counts(int topics, int partitions, int groups) {}

    static Counts counts(LabConfig lab) throws Exception {
        try (Admin admin = LabKafka.admin(lab)) {
            var names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            int partitions = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS).values().stream()
                    .mapToInt(d -> d.partitions().size()).sum();
            return new Counts(names.size(), partitions, admin.listGroups().all().get(30, TimeUnit.SECONDS).size());
        }
    }

    /** User + system CPU time of a process, from /proc/<pid>/stat (in clock ticks of 1/100 s). */
    static double cpuSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime (fields 14 and 15)
    }

    static long rssMb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i], args[i + 1]);
        }
        return m;
    }
}
