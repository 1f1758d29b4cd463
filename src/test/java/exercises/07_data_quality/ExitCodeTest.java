import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.minio.MinioClient;
import org.junit.jupiter.api.Test;

/**
 * Exercise 07.3: the learner's exit code is 2 when the check could not be made (whatever the checks say), 1 when a
 * check failed, 0 when all passed; and against real lakes: a clean one 0, a doubled one 1, an S3 that is not there 2.
 */
class ExitCodeTest {

    @Test
    void couldNotCheckIsTwoWhateverTheChecksSay() {
        assertThat(ExitCode.of(report(List.of(new LakeCheck.Check("a", true, "")), List.of("S3 is not there"))))
                .as("could not check, the checks passed").isEqualTo(2);
        assertThat(ExitCode.of(report(List.of(new LakeCheck.Check("a", false, "")), List.of("no offsets"))))
                .as("could not check, a check failed").isEqualTo(2);
    }

    @Test
    void aFailedCheckIsOneAndAllPassedIsZero() {
        assertThat(ExitCode.of(report(List.of(new LakeCheck.Check("a", true, ""), new LakeCheck.Check("b", false, "")), List.of())))
                .as("one check failed").isEqualTo(1);
        assertThat(ExitCode.of(report(List.of(new LakeCheck.Check("a", true, ""), new LakeCheck.Check("b", true, "")), List.of())))
                .as("every check passed").isZero();
    }

    @Test
    void realLakesGiveZeroOneAndTwo() throws Exception {
        ExitCode.of(report(List.of(), List.of("probe"))); // your code first
        LabConfig lab = TestLake.bucket("exit07");
        String topic = TestLab.unique("exit07");
        String group = TestLab.unique("exit07");
        LabKafka.ensureTopic(lab, topic, 1);
        Clickstream stream = new Clickstream(74, 100, 100, Instant.parse("2026-11-24T10:00:00Z").toEpochMilli());
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            values.add(stream.next().toBytes());
        }
        TestTopics.produceRaw(lab, topic, values);
        TestLake.Stored stored = TestLake.store(lab, topic, TestLake.readRaw(lab, topic), 50);
        TestLake.commit(lab, group, topic, Map.of(0, 100L));
        assertThat(ExitCode.of(LakeCheck.check(lab, topic, group, new Reconcile(), new SchemaDrift()))).as("a clean lake").isZero();

        String original = stored.objects().keySet().iterator().next();
        try (MinioClient s3 = LabS3.client(lab)) {
            TestLake.put(s3, lab, original.replace(".parquet", "-copy.parquet"), Lake.get(s3, lab.bucket(), original));
        }
        assertThat(ExitCode.of(LakeCheck.check(lab, topic, group, new Reconcile(), new SchemaDrift()))).as("a lake with a copied object").isEqualTo(1);

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        LabConfig noS3 = lab.withS3("http://127.0.0.1:" + port, lab.s3AccessKey(), lab.s3SecretKey(), "test");
        LakeCheck.Report away = LakeCheck.check(noS3, topic, group, new Reconcile(), new SchemaDrift());
        assertThat(away.couldNotCheck()).as("why it could not check").singleElement().asString().contains("127.0.0.1:" + port);
        assertThat(ExitCode.of(away)).as("an S3 that is not there").isEqualTo(2);
    }

    private static LakeCheck.Report report(List<LakeCheck.Check> checks, List<String> couldNotCheck) {
        return new LakeCheck.Report(0, 0, Map.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0, 0,
                new LakeCheck.Reconciliation(List.of(), List.of()), Map.of(), checks, couldNotCheck);
    }
}
