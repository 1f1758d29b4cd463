import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lab's S3 lists a lake of more than one page (S3 pages at 1,000 keys): every key once, in key order, both in
 * memory and on disk. It listed the first page again and again (the client looped for ever) once a lake passed 1,000
 * objects, which a sink killed and restarted five times reached (FaultSinkKillTest timed out).
 */
class EmbeddedS3ListingTest {
    @ParameterizedTest(name = "objects kept {0}")
    @ValueSource(strings = {"in memory", "on disk"})
    void aLakeOfSeveralPagesIsListedWholeInKeyOrder(String where) throws Exception {
        Path folder = where.equals("on disk") ? Files.createTempDirectory("s3-listing") : null;
        try (EmbeddedS3 s3 = EmbeddedS3.start(0, LabConfig.DEFAULT_S3_ACCESS_KEY, LabConfig.DEFAULT_S3_SECRET_KEY, folder)) {
            s3.createBucket("lake");
            LabConfig lab = TestLab.config().withS3(s3.endpoint(), LabConfig.DEFAULT_S3_ACCESS_KEY, LabConfig.DEFAULT_S3_SECRET_KEY, "test")
                    .withBucket("lake");
            List<String> keys = new ArrayList<>();
            for (int day = 20; day < 25; day++) {
                for (String type : List.of("pause_track", "track_playback", "track_like")) {
                    for (int offset = 0; offset < 170; offset++) {
                        keys.add("music_events/event_date=2026-11-" + day + "/event_type=" + type + "/music_events+0+" + offset * 7 + ".parquet");
                    }
                }
            }
            List<String> listed = new ArrayList<>();
            try (MinioClient client = LabS3.client(lab)) {
                for (String key : keys) {
                    client.putObject(PutObjectArgs.builder().bucket("lake").object(key).stream(new ByteArrayInputStream(new byte[] {1}), 1, -1).build());
                }
                for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket("lake").prefix("music_events/").recursive(true).build())) {
                    listed.add(r.get().objectName());
                    if (listed.size() > keys.size()) {
                        break; // a listing that repeats itself never ends
                    }
                }
            }
            assertThat(listed).as("the keys of %,d objects, listed recursively (S3 pages at 1,000)", keys.size())
                    .containsExactlyElementsOf(keys.stream().sorted().toList());
        }
    }
}
