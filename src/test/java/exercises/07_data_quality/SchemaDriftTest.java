import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.minio.MinioClient;
import org.junit.jupiter.api.Test;

/**
 * Exercise 07.2: the learner's drift check names every missing column, every column of another type and every extra
 * column, finds nothing in a file the lake's writer made, and, in the data check, fails the schema check for the one
 * file the original sink would have written.
 */
class SchemaDriftTest {

    @Test
    void everyDifferenceIsNamed() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("event_type_id", "required int32");
        expected.put("user_id", "required binary (STRING)");
        expected.put("kafka_offset", "required int64");
        Map<String, String> found = new LinkedHashMap<>();
        found.put("event_type_id", "required int64");
        found.put("user_id", "required binary (STRING)");
        found.put("debug", "optional boolean");

        List<String> differences = new SchemaDrift().differences(expected, found);

        assertThat(differences).as("differences").containsExactlyInAnyOrder(
                "missing column kafka_offset (required int64)",
                "column event_type_id is required int64, expected required int32",
                "extra column debug (optional boolean)");
    }

    @Test
    void theSameColumnsInAnotherOrderAreNoDrift() {
        Map<String, String> expected = EventParquet.expectedColumns();
        Map<String, String> reversed = new LinkedHashMap<>();
        List<String> names = List.copyOf(expected.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.put(names.get(i), expected.get(names.get(i)));
        }
        assertThat(new SchemaDrift().differences(expected, reversed)).as("differences: readers go by name").isEmpty();
    }

    @Test
    void aFileTheLakesWriterMadeHasNoDriftAndTheOriginalSinksHas() throws Exception {
        Clickstream stream = new Clickstream(72);
        byte[] file = EventParquet.write(List.of(new EventParquet.Row(stream.next(), 0, 0), new EventParquet.Row(stream.next(), 0, 1)));
        assertThat(new SchemaDrift().differences(EventParquet.expectedColumns(), EventParquet.footer(file).columns()))
                .as("a file of the lake's one schema").isEmpty();
        List<String> old = new SchemaDrift().differences(EventParquet.expectedColumns(),
                EventParquet.footer(Lesson07DataQualityTest.originalSinksFile()).columns());
        assertThat(old).as("the original sink's file: 3 of the lake's columns, the other 13 missing")
                .hasSize(EventParquet.expectedColumns().size() - 3).contains("missing column kafka_partition (required int32)");
    }

    @Test
    void theDataCheckFailsTheSchemaCheckForTheDriftedFileOnly() throws Exception {
        LabConfig lab = TestLake.bucket("drift07");
        String topic = TestLab.unique("drift07");
        String group = TestLab.unique("drift07");
        LabKafka.ensureTopic(lab, topic, 1);
        Clickstream stream = new Clickstream(73, 100, 100, Instant.parse("2026-11-24T10:00:00Z").toEpochMilli());
        List<byte[]> values = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            values.add(stream.next().toBytes());
        }
        TestTopics.produceRaw(lab, topic, values);
        TestLake.store(lab, topic, TestLake.readRaw(lab, topic), 50);
        TestLake.commit(lab, group, topic, Map.of(0, 100L));
        String key = topic + "/event_date=2026-11-24/event_type=track_like/old-writer-batch.parquet";
        try (MinioClient s3 = LabS3.client(lab)) {
            TestLake.put(s3, lab, key, Lesson07DataQualityTest.originalSinksFile());
        }

        LakeCheck.Report report = LakeCheck.check(lab, topic, group, new Reconcile(), new SchemaDrift());

        assertThat(report.driftedFiles()).as("drifted files").containsOnlyKeys(key);
        assertThat(report.checks().stream().filter(c -> !c.ok()).map(LakeCheck.Check::name).toList()).as("failed checks")
                .containsExactly("every file has the expected schema");
    }
}
