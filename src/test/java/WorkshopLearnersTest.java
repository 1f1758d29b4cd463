import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workshop on one real lab: five learners at once, each with a working copy of the course of their own and their own
 * name (COURSE_LEARNER), run lessons 01-03 and 06-07 (with lesson 04, which makes 06's data) and check their exercises
 * with the runner. Every learner's lesson output and check verdicts must equal those of one learner who ran the same
 * alone before them, and no topic, group or object one learner made may be touched by another.
 *
 * <p>The lone learner has a name too ("solo"): the test lab is shared with the other tests of this build (and may be a
 * cluster named by the environment), so the original's names could hold data of an earlier run; a fresh namespace makes
 * the lone run a clean reference. That names stay the original's without a learner: WorkshopNamespaceTest and CI's lessons.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class WorkshopLearnersTest {
    static final List<String> LEARNERS = List.of("ana", "ben", "chen", "dara", "eli");
    /**
     * The lessons, in order, with small options (as .ci/run-lessons runs them); those course.json does not have are left
     * out. Lesson 04 writes the events lesson 06 sinks into the lake that lesson 07 checks.
     */
    static final Map<String, List<String>> LESSONS = lessons(new LinkedHashMap<>(Map.of()),
            "01", "", "02", "", "03", "", "04", "--count 2000 --original-count 50", "06", "", "07", "");
    /** Lessons whose exercises each learner checks; the first exercise of each is solved (the solution copied in). */
    static final List<String> CHECKED = List.of("01", "02", "03", "06", "07");

    /** What varies from one run to the next whoever else runs: masked before outputs are compared (see {@link #normalize}). */
    static final List<Map.Entry<Pattern, String>> MASKS = List.of(
            mask("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>"),
            mask("\\{\"[^\\n]*\\}", "<json>"),                                        // a message: random names, ids, times
            mask("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z", "<time>"),
            mask("\\b\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?\\b", "<clock>"),
            mask("\\b[0-9][0-9,.]* ?(ms|s|min|msg/s|events/s|MB/s)\\b", "<duration>"),
            mask("\\b[0-9][0-9,.]*/s\\b", "<rate>"),
            mask("\\b[0-9][0-9,.]*x the original's", "<ratio> the original's"),
            mask("\\b\\d{4}-\\d{2}-\\d{2}\\b", "<date>"),                        // events are stamped now
            mask("(cluster|TopicId:) [A-Za-z0-9_-]{20,24}", "$1 <id>"),
            mask("murmur2 = -?\\d+, toPositive = \\d+, % 3 = partition \\d", "murmur2 <of a random user>"),
            mask("\\b[0-9a-f]{8}\\b", "<user>"),                                       // lesson 03's random user ids
            mask("processed up to \\{[^}]*\\}", "processed up to {<where the member stopped>}"),
            mask("_\\d{10}(?!\\d)", "_<epoch>"),                                      // lesson06_demo_<epoch>-like names
            mask("instance \\d+: partitions \\[[^\\]]*\\]", "instance <n>: partitions [<its share when it stopped>]"),
            mask("\\b[0-9,]+ files\\b", "<n> files"),                     // a sink's batches are also cut by age: by the clock
            mask("(dlq\\.source\\.(partition|offset)) = \\d+", "$1 = <where an unkeyed message landed>"),
            mask("; \\d+ batches redone as cut", "; <n> batches redone as cut"),                // lesson 06: see TIMING
            mask("woke up: \\d+ of its commits refused by Kafka; instance 2 redid \\d+ of", "woke up: <n> of its commits refused by Kafka; instance 2 redid <n> of"));

    /** Progress lines a long step prints every second or two: how many depends on the machine's speed, not on the room. */
    static final List<Pattern> PROGRESS = List.of(Pattern.compile("^> sent [0-9,]+ \\(.*\\) acknowledged [0-9,]+ failed [0-9,]+$"),
            Pattern.compile("^> \\[[^\\]]+\\] [0-9,]+ records \\(<rate>\\), .*$"));

    /**
     * Where lesson 06's simulated crash and frozen instance caught the sink: which partitions' batches were stored and
     * committed by then, and when the second instance was (re)assigned, depend on its worker threads' timing, alone or
     * in a room (seen differing between two lone runs). The lines that follow, the lake's final rows and distinct
     * offsets, are compared as they are.
     */
    static final List<Pattern> TIMING = List.of(Pattern.compile("^> .* in the lake; committed: .*$"),
            Pattern.compile("^> (instance \\d+: )?\\[[^\\]]+\\] the previous owner's batches, redone as it cut them: .*$"),
            Pattern.compile("^> instance \\d+: \\[[^\\]]+\\] assigned partitions .*$"));

    @BeforeEach
    void onlyInTheSolutionsBuild() {
        Assumptions.assumeFalse("exercises".equals(System.getProperty("course.code")),
                "skipped in the -Pexercises build: it runs the lessons and the runner, which ./mvnw -B verify covers");
    }

    @Test
    void fiveLearnersAtOnceEachSeeWhatOneLearnerAloneSawAndTouchNothingOfAnothers(@TempDir Path dir) throws Exception {
        LabConfig lab = TestLab.config();
        Run solo = new Run("solo", dir);
        solo.call();
        assertThat(solo.failures()).as("the lone learner's lessons ran to their end").isEmpty();
        Set<String> topicsBefore = topics(lab);

        ExecutorService room = Executors.newFixedThreadPool(LEARNERS.size());
        List<Future<Run>> running = new ArrayList<>();
        for (String name : LEARNERS) {
            running.add(room.submit(new Run(name, dir)));
        }
        List<Run> runs = new ArrayList<>();
        for (Future<Run> f : running) {
            runs.add(f.get(35, TimeUnit.MINUTES));
        }
        room.shutdown();

        for (Run r : runs) {
            assertThat(r.failures()).as("%s's lessons ran to their end", r.learner).isEmpty();
            for (String lesson : LESSONS.keySet()) {
                assertThat(normalize(r.outputs.get(lesson), r.learner)).as("lesson %s as %s saw it, against the lone learner's:%n%s",
                        lesson, r.learner, r.outputs.get(lesson)).isEqualTo(normalize(solo.outputs.get(lesson), solo.learner));
            }
            assertThat(r.verdicts).as("%s's check verdicts, against the lone learner's", r.learner).isEqualTo(solo.verdicts);
        }

        // nothing made outside a namespace, and each learner's things are exactly the lone learner's, untouched
        Set<String> made = new TreeSet<>(topics(lab));
        made.removeAll(topicsBefore);
        assertThat(made).as("topics the five made: each in one learner's namespace")
                .allMatch(t -> LEARNERS.stream().anyMatch(n -> t.startsWith(n + ".")) || t.startsWith("__"));
        Map<String, Long> soloTopics = topicTotals(lab, solo.learner);
        Map<String, Long> soloGroups = groupTotals(lab, solo.learner);
        Map<String, Long> soloObjects = objects(lab, solo.learner);
        assertThat(soloTopics).as("the lone learner's lesson topics").isNotEmpty();
        for (String name : LEARNERS) {
            assertThat(topicTotals(lab, name)).as("%s's topics and their messages: the lone learner's", name).isEqualTo(soloTopics);
            assertThat(groupTotals(lab, name)).as("%s's groups and their committed offsets: the lone learner's", name).isEqualTo(soloGroups);
            // how many objects a sink cuts depends also on the clock (batches flush by age); which folders does not
            assertThat(objects(lab, name).keySet()).as("%s's S3 folders: the lone learner's", name).isEqualTo(soloObjects.keySet());
        }
        int partitions;
        try (Admin admin = LabKafka.admin(lab)) {
            partitions = admin.describeTopics(made).allTopicNames().get(60, TimeUnit.SECONDS).values().stream()
                    .mapToInt(d -> d.partitions().size()).sum();
        }
        System.out.println("[workshop] lessons " + LESSONS.keySet() + ", checks of " + solo.verdicts.size() + " exercises; "
                + "the lone learner took " + solo.millis / 1000 + " s, the five at once " + runs.stream().mapToLong(r -> r.millis).max()
                .orElse(0) / 1000 + " s; the five made " + made.size() + " topics (" + partitions + " partitions)");
    }

    /** One learner's afternoon: a copy of the course, the lessons in order, then a check of each exercise of {@link #CHECKED}. */
    static final class Run implements java.util.concurrent.Callable<Run> {
        final String learner;
        final Path course;
        final Map<String, String> outputs = new LinkedHashMap<>();
        final Map<String, Integer> codes = new LinkedHashMap<>();
        final Map<String, String> verdicts = new TreeMap<>();
        long millis;

        Run(String learner, Path dir) throws Exception {
            this.learner = learner;
            this.course = CourseCopy.copy(Files.createDirectories(dir.resolve(learner)));
        }

        @Override
        public Run call() throws Exception {
            long t0 = System.nanoTime();
            LabConfig lab = TestLab.config();
            Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", lab.kafkaBootstrap(), "S3_ENDPOINT", lab.s3Endpoint(),
                    "S3_ACCESS_KEY", lab.s3AccessKey(), "S3_SECRET_KEY", lab.s3SecretKey(), "S3_BUCKET", lab.bucket(), "COURSE_LEARNER", learner));
            CourseCatalog catalog = CourseCatalog.load(course);
            for (Map.Entry<String, List<String>> lesson : LESSONS.entrySet()) {
                LessonProcess.Result r = LessonProcess.run(Path.of(catalog.findLesson(lesson.getKey()).script()).toAbsolutePath(), course,
                        env, lesson.getValue(), 15);
                outputs.put(lesson.getKey(), r.output());
                codes.put(lesson.getKey(), r.exitCode());
                if (r.exitCode() != 0) {
                    break; // the next lessons build on this one's data
                }
            }
            Map<String, String> runnerEnv = new HashMap<>(CourseCopy.environment());
            runnerEnv.putAll(env);
            for (CourseCatalog.Lesson lesson : catalog.lessons) {
                if (!CHECKED.contains(lesson.id()) || !LESSONS.containsKey(lesson.id()) || lesson.exercises().isEmpty()
                        || lesson.exercises().stream().anyMatch(ex -> ex.files().stream().anyMatch(f ->
                                !Files.exists(course.resolve(ex.solutionPath(f))) || !Files.exists(course.resolve(ex.exerciseDir()).resolve(f))))) {
                    continue; // a lesson not run here, or whose exercises are not written yet
                }
                CourseCatalog.Exercise first = lesson.exercises().get(0);
                for (String file : first.files()) {
                    Files.copy(course.resolve(first.solutionPath(file)), course.resolve(first.exerciseDir()).resolve(file),
                            StandardCopyOption.REPLACE_EXISTING);
                }
                for (CourseCatalog.Exercise ex : lesson.exercises()) {
                    Course runner = new Course(course, runnerEnv, new ByteArrayInputStream(new byte[0]),
                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new CourseUi(false, false));
                    runner.interactive = false;
                    Course.Checker real = CourseCopy.checker();
                    runner.checker = (request, clickhouse, progress) -> {
                        synchronized (WorkshopLearnersTest.class) { // one check at a time, as in a check JVM
                            CheckResult result = real.check(request, clickhouse, progress);
                            verdicts.put(ex.id(), verdict(result));
                            return result;
                        }
                    };
                    runner.run("verify", ex.id());
                }
            }
            millis = (System.nanoTime() - t0) / 1_000_000;
            return this;
        }

        /** The lessons that did not end with exit code 0, with the end of what they printed. */
        Map<String, String> failures() {
            Map<String, String> failed = new LinkedHashMap<>();
            codes.forEach((lesson, code) -> {
                if (code != 0) {
                    String out = outputs.get(lesson);
                    failed.put(lesson, "exit code " + code + ":\n" + out.substring(Math.max(0, out.length() - 3000)));
                }
            });
            return failed;
        }
    }

    /** A check's verdict: its outcome, the TODO that stopped it, and how each of its test's checks ended. */
    static String verdict(CheckResult r) {
        CheckResult.Failure todo = r.firstTodo();
        return r.outcome() + (todo == null ? "" : " at TODO " + todo.todoId()) + " " + r.cases().stream()
                .map(c -> c.method() + "=" + c.status()).sorted().toList();
    }

    /**
     * A lesson's output with what differs from run to run whoever runs it masked ({@link #MASKS}), the learner's name
     * taken out of every name, whitespace runs made one (tables align to the names' widths), and the items of a
     * [list] and consecutive table rows sorted (the tools print sets and groups in no fixed order).
     */
    static String normalize(String output, String learner) {
        String text = output.replace(learner + ".", "").replaceAll("\\b" + learner + "\\b", "<learner>");
        for (Map.Entry<Pattern, String> m : MASKS) {
            text = m.getKey().matcher(text).replaceAll(m.getValue());
        }
        List<String> lines = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (String line : text.lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList()) {
            String plain = line;
            if (PROGRESS.stream().anyMatch(p -> p.matcher(plain).matches()) || TIMING.stream().anyMatch(p -> p.matcher(plain).matches())) {
                continue;
            }
            line = Pattern.compile("\\[([^\\[\\]]*)\\]").matcher(line).replaceAll(m -> "[" + java.util.regex.Matcher.quoteReplacement(
                    List.of(m.group(1).split(", ")).stream().sorted().collect(Collectors.joining(", "))) + "]");
            if (line.startsWith("> ") && line.split(" ").length >= 9) { // a row of a tool's table
                rows.add(line);
                continue;
            }
            rows.sort(null);
            lines.addAll(rows);
            rows.clear();
            lines.add(line);
        }
        rows.sort(null);
        lines.addAll(rows);
        return String.join("\n", lines).strip();
    }

    static Set<String> topics(LabConfig lab) throws Exception {
        try (Admin admin = LabKafka.admin(lab)) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    /** The learner's topics (name without the learner, random parts masked) and the messages each holds. */
    static Map<String, Long> topicTotals(LabConfig lab, String learner) throws Exception {
        Map<String, Long> totals = new TreeMap<>();
        for (String t : topics(lab)) {
            if (t.startsWith(learner + ".") && !random(t)) {
                totals.put(t.substring(learner.length() + 1), LabTopics.endOffsets(lab, t).values().stream().mapToLong(Long::longValue).sum());
            }
        }
        return totals;
    }

    /** The learner's groups (random parts masked) with the sum of their committed offsets; each group's topics are the learner's. */
    static Map<String, Long> groupTotals(LabConfig lab, String learner) throws Exception {
        Map<String, Long> totals = new TreeMap<>();
        try (Admin admin = LabKafka.admin(lab)) {
            for (GroupListing g : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(30, TimeUnit.SECONDS)) {
                if (!g.groupId().startsWith(learner + ".") || random(g.groupId())) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(g.groupId())
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertThat(offsets.keySet()).as("group %s committed offsets only on %s's topics", g.groupId(), learner)
                        .allMatch(tp -> tp.topic().startsWith(learner + "."));
                totals.put(g.groupId().substring(learner.length() + 1), offsets.values().stream().filter(o -> o != null)
                        .mapToLong(OffsetAndMetadata::offset).sum());
            }
        }
        return totals;
    }

    /** The learner's S3 objects: top folder (learner taken out, a time in its name masked) → number of objects. */
    static Map<String, Long> objects(LabConfig lab, String learner) throws Exception {
        Map<String, Long> folders = new TreeMap<>();
        try (MinioClient s3 = LabS3.client(lab)) {
            for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(lab.bucket()).prefix(learner + ".").recursive(true).build())) {
                String key = r.get().objectName().substring(learner.length() + 1);
                String folder = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
                folders.merge(folder.replaceAll("_\\d{10}(?!\\d)", "_<epoch>"), 1L, Long::sum);
            }
        }
        return folders;
    }

    /** Names a check's test made unique with random hex, or a lesson with the time: not comparable between learners. */
    static boolean random(String name) {
        return name.matches(".*-[0-9a-f]{8}([^0-9a-f].*)?") || name.matches(".*_\\d{10}.*") || name.contains("console-consumer-");
    }

    private static Map.Entry<Pattern, String> mask(String regex, String replacement) {
        return Map.entry(Pattern.compile(regex), replacement);
    }

    private static Map<String, List<String>> lessons(Map<String, List<String>> into, String... idAndOptions) {
        CourseCatalog catalog = CourseCatalog.load(Path.of(""));
        String only = System.getProperty("workshop.lessons"); // e.g. -Dworkshop.lessons=01,02 while working on one
        for (int i = 0; i < idAndOptions.length; i += 2) {
            if (only != null && !List.of(only.split(",")).contains(idAndOptions[i])) {
                continue;
            }
            if (catalog.findLesson(idAndOptions[i]) != null && Files.exists(Path.of(catalog.findLesson(idAndOptions[i]).script()))) {
                into.put(idAndOptions[i], idAndOptions[i + 1].isBlank() ? List.of() : List.of(idAndOptions[i + 1].split(" ")));
            }
        }
        return into;
    }
}
