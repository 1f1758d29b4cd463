///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/LabConfig.java ../lab/LabException.java ../lab/lake/LabS3.java ../lab/lake/Lake.java ../lab/lake/LakeCheck.java ../lab/teaching/Lesson.java
//SOURCES ../solutions/07_data_quality/1_reconcile/Reconcile.java ../solutions/07_data_quality/2_schema_drift/SchemaDrift.java
//SOURCES ../solutions/07_data_quality/3_exit_code/ExitCode.java
//COMPILE_OPTIONS -encoding UTF-8
//MAIN DataQualityLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;

/**
 * Lesson 07 — data quality: what is in the lake, and does it agree with Kafka? The check is lab/lake/LakeCheck; the
 * reconciliation (07.1), the schema-drift check (07.2) and the exit code (07.3) are the exercises' solutions.
 *
 *   ./jbang lesson07 [topic] [group]          (after ./jbang lesson06; the group is the sink's, music-events-parquet-sink)
 *   ./jbang lesson07 --gate [topic] [group]   only the check, its report, and its exit code: 0 good, 1 bad data, 2 could not check
 */
class DataQualityLesson {
    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean gate = rest.remove("--gate");
        String topic = rest.size() > 0 ? rest.get(0) : "music_events";
        String group = rest.size() > 1 ? rest.get(1) : "music-events-parquet-sink";
        // in a workshop the learner's own topic and the sink's group of the learner's (alice.music_events, alice.music-events-parquet-sink)
        Lesson.run("07", lab -> gate ? gate(lab, lab.topic(topic), lab.group(group)) : run(lab, lab.topic(topic), lab.group(group)));
    }

    /** What a pipeline step runs after the sink: the report, and an exit code to gate on. */
    static int gate(LabConfig lab, String topic, String group) {
        LakeCheck.Report report = check(lab, topic, group);
        LakeCheck.describe(report).forEach(System.out::println);
        int code = ExitCode.of(report);
        System.out.println("exit code " + code);
        return code;
    }

    static int run(LabConfig lab, String topic, String group) throws Exception {
        LabS3.probe(lab);
        Lesson.step(1, "What the original check showed: rows, schema, the first ten track_playback rows");
        LakeCheck.Report report = check(lab, topic, group);
        if (report.files() == 0) {
            throw new LabException("There are no objects under s3://" + lab.bucket() + "/" + topic + "/ yet: run ./jbang lesson06 first.");
        }
        List<String> lines = LakeCheck.describe(report);
        int rowsPerPath = lines.indexOf("rows per partition path:");
        lines.subList(0, rowsPerPath).forEach(Lesson::saw);
        Lesson.say("The schema comes from the files' footers: Parquet stores it in every file, so a reader needs no");
        Lesson.say("guesswork. Useful, but none of it tells whether the lake is complete, or doubled.");

        Lesson.step(2, "What it lacked: per partition, reconciled with Kafka (exercise 07.1), schema drift (07.2)");
        lines.subList(rowsPerPath, lines.size()).forEach(Lesson::saw);
        Lesson.saw("exit code " + ExitCode.of(report) + " (exercise 07.3)");
        Lesson.say("Reconciliation: for each Kafka partition, every offset from the log start (what retention kept) up to");
        Lesson.say("the sink group's committed offset must be in the lake exactly once, or in the dead-letter topic. That");
        Lesson.say("is the sink's promise, checked from outside it. Kafka is read first, the lake after: a batch the sink");
        Lesson.say("stores meanwhile lies above the committed offset read, so a running sink shows no false gap.");

        Lesson.step(3, "Break it on purpose: a second copy of one object, like a writer with random names leaves");
        try (MinioClient s3 = LabS3.client(lab)) {
            String original = Lake.listParquet(s3, lab.bucket(), topic + "/").get(0);
            String copy = original.substring(0, original.lastIndexOf('/') + 1) + "part-00000-lesson07-copy.parquet";
            byte[] bytes = Lake.get(s3, lab.bucket(), original);
            s3.putObject(PutObjectArgs.builder().bucket(lab.bucket()).object(copy).stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
            Lesson.saw("copied " + original + " to " + copy);
            LakeCheck.Report broken = check(lab, topic, group);
            broken.checks().stream().filter(c -> !c.ok()).forEach(c -> Lesson.saw("FAIL " + c.name() + ": " + c.detail()));
            Lesson.saw("exit code " + ExitCode.of(broken) + ": a pipeline step (./jbang lesson07 --gate) stops here");
            s3.removeObject(RemoveObjectArgs.builder().bucket(lab.bucket()).object(copy).build());
            Lesson.saw("removed the copy again");
        }

        Lesson.step(4, "A check that cannot be made is no pass: a group that never committed");
        LakeCheck.Report nothing = check(lab, topic, lab.group("lesson07-no-such-group"));
        nothing.couldNotCheck().forEach(Lesson::saw);
        Lesson.saw("exit code " + ExitCode.of(nothing) + ": not 'bad data', but 'could not check' - retry, or fix the setup");

        Lesson.step(5, "And once more, as it is");
        LakeCheck.Report again = check(lab, topic, group);
        Lesson.saw("checks again: " + (ExitCode.of(again) == 0 ? "all OK" : "failing") + ", exit code " + ExitCode.of(again));
        Lesson.say("A row count alone says that something is off, not what. Offsets say which rows and which objects:");
        Lesson.say("that is why every row carries kafka_partition and kafka_offset.");
        Lesson.say("Your exercises: exercises/07_data_quality/ (1_reconcile, 2_schema_drift, 3_exit_code).");
        Lesson.say("Check them: ./jbang course verify 07.1 (to 07.3)");
        return ExitCode.of(again);
    }

    private static LakeCheck.Report check(LabConfig lab, String topic, String group) {
        return LakeCheck.check(lab, topic, group, new Reconcile(), new SchemaDrift());
    }
}
