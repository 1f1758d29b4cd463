///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/LabConfig.java ../lab/LabException.java ../lab/lake/LabS3.java ../lab/lake/Lake.java ../lab/teaching/Lesson.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/07_data_quality/LakeCheck.java
//MAIN DataQualityLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.io.ByteArrayInputStream;
import java.util.List;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;

/**
 * Lesson 07 — data quality: what is in the lake, and does it agree with Kafka?
 *
 *   ./jbang lesson07 [topic] [group]     (after ./jbang lesson06; the group is the sink's, music-events-parquet-sink)
 */
class DataQualityLesson {
    public static void main(String[] args) throws Exception {
        String topic = args.length > 0 ? args[0] : "music_events";
        String group = args.length > 1 ? args[1] : "music-events-parquet-sink";
        Lesson.run("07", lab -> run(lab, topic, group));
    }

    static int run(LabConfig lab, String topic, String group) throws Exception {
        LabS3.probe(lab);
        Lesson.step(1, "What the original check showed: rows, schema, the first ten track_playback rows");
        LakeCheck.Report report = LakeCheck.check(lab, topic, group);
        if (report.files() == 0) {
            throw new LabException("There are no objects under s3://" + lab.bucket() + "/" + topic + "/ yet: run ./jbang lesson06 first.");
        }
        List<String> lines = LakeCheck.describe(report);
        int rowsPerPath = lines.indexOf("rows per partition path:");
        lines.subList(0, rowsPerPath).forEach(Lesson::saw);
        Lesson.say("The schema comes from the files' footers: Parquet stores it in every file, so a reader needs no");
        Lesson.say("guesswork. Useful, but none of it tells whether the lake is complete, or doubled.");

        Lesson.step(2, "What it lacked: per partition, reconciled with Kafka, schema drift, an exit code");
        lines.subList(rowsPerPath, lines.size()).forEach(Lesson::saw);
        Lesson.say("Reconciliation: for each Kafka partition, every offset below the sink group's committed offset must");
        Lesson.say("be in the lake exactly once, or in the dead-letter topic. That is the sink's promise, checked from");
        Lesson.say("outside it. Rows above the committed offset are allowed: stored, not yet committed (a crash, or");
        Lesson.say("a sink still running); the restart overwrites them.");

        Lesson.step(3, "Break it on purpose: a second copy of one object, like a writer with random names leaves");
        String original;
        String copy;
        try (MinioClient s3 = LabS3.client(lab)) {
            original = Lake.listParquet(s3, lab.bucket(), topic + "/").get(0);
            copy = original.substring(0, original.lastIndexOf('/') + 1) + "part-00000-lesson07-copy.parquet";
            byte[] bytes = Lake.get(s3, lab.bucket(), original);
            s3.putObject(PutObjectArgs.builder().bucket(lab.bucket()).object(copy).stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
            Lesson.saw("copied " + original + " to " + copy);
            LakeCheck.Report broken = LakeCheck.check(lab, topic, group);
            broken.checks().stream().filter(c -> !c.ok()).forEach(c -> Lesson.saw("FAIL " + c.name() + ": " + c.detail()));
            Lesson.saw("exit code " + broken.exitCode() + ": a pipeline step (./jbang solutions/07_data_quality/LakeCheck.java) stops here");
            s3.removeObject(RemoveObjectArgs.builder().bucket(lab.bucket()).object(copy).build());
            Lesson.saw("removed the copy again");
        }
        LakeCheck.Report again = LakeCheck.check(lab, topic, group);
        Lesson.saw("checks again: " + (again.ok() ? "all OK" : "still failing") + ", exit code " + again.exitCode());
        Lesson.say("A row count alone says that something is off, not what. Offsets say which rows and which objects:");
        Lesson.say("that is why every row carries kafka_partition and kafka_offset.");
        Lesson.say("Your exercise: exercises/07_data_quality/LakeCheck.java (the reconciliation).");
        Lesson.say("Check it: ./jbang course verify 07");
        return again.exitCode();
    }
}
