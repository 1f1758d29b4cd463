import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Until lesson 00's exercises (00.1, 00.2) are on main in the new shape, the runner's tests put a stand-in for them
 * into their temporary copy of the course (never into the course itself). Remove this class when they are there.
 */
final class CourseFixture {
    private CourseFixture() {}

    static void install(Path course) throws IOException {
        if (!Files.exists(course.resolve("exercises/00_lab/1_describe_cluster"))) {
            // their hints too, as course.json will have them
            Path json = course.resolve("course.json");
            Files.writeString(json, Files.readString(json).replaceFirst("\"hints\": \\[\\]", "\"hints\": [\"a gentle one\", \"a closer one\"]")
                    .replaceFirst("\"hints\": \\[\\]", "\"hints\": [\"a gentle one\", \"a closer one\"]"));
        }
        write(course, "exercises/00_lab/1_describe_cluster/DescribeCluster.java", describeCluster(false));
        write(course, "solutions/00_lab/1_describe_cluster/DescribeCluster.java", describeCluster(true));
        write(course, "src/test/java/exercises/00_lab/DescribeClusterTest.java", """
                import static org.assertj.core.api.Assertions.assertThat;

                import org.apache.kafka.clients.admin.Admin;
                import org.junit.jupiter.api.Test;

                class DescribeClusterTest {
                    @Test
                    void describesTheClusterThatAnswers() throws Exception {
                        try (Admin admin = LabKafka.admin(TestLab.config())) {
                            DescribeCluster.Summary s = DescribeCluster.describe(admin);
                            assertThat(s.brokers()).as("the lab runs one broker").isEqualTo(1);
                            assertThat(s.clusterId()).as("a KRaft cluster has an id").isNotBlank();
                        }
                    }

                    @Test
                    void aSecondCallSeesTheSameCluster() throws Exception {
                        try (Admin admin = LabKafka.admin(TestLab.config())) {
                            assertThat(DescribeCluster.describe(admin)).as("the same cluster twice").isEqualTo(DescribeCluster.describe(admin));
                        }
                    }
                }
                """);
        write(course, "exercises/00_lab/2_ensure_bucket/EnsureBucket.java", ensureBucket(false));
        write(course, "solutions/00_lab/2_ensure_bucket/EnsureBucket.java", ensureBucket(true));
        write(course, "src/test/java/exercises/00_lab/EnsureBucketTest.java", """
                import static org.assertj.core.api.Assertions.assertThat;

                import io.minio.MinioClient;
                import org.junit.jupiter.api.Test;

                class EnsureBucketTest {
                    @Test
                    void createsTheBucketOnlyWhenItIsMissing() throws Exception {
                        try (MinioClient s3 = LabS3.client(TestLab.config())) {
                            String bucket = TestLab.unique("bucket");
                            assertThat(EnsureBucket.ensure(s3, bucket)).as("the first call creates it").isTrue();
                            assertThat(EnsureBucket.ensure(s3, bucket)).as("the second finds it").isFalse();
                        }
                    }
                }
                """);
    }

    private static String describeCluster(boolean solved) {
        return """
                //SOURCES ../../../lab/teaching/Todo.java
                import org.apache.kafka.clients.admin.Admin;

                /** Exercise 00.1: ask the cluster who it is. Check it: ./jbang course verify 00.1 */
                public class DescribeCluster {
                    public record Summary(String clusterId, int brokers) {}

                    public static Summary describe(Admin admin) throws Exception {
                """ + (solved ? """
                        var cluster = admin.describeCluster();
                        return new Summary(cluster.clusterId().get(), cluster.nodes().get().size());
                """ : """
                        // TODO 00.1.1: ask the cluster for its id and its brokers
                        return Todo.todo("00.1", 1, "describe the cluster: its id and its brokers");
                """) + """
                    }
                }
                """;
    }

    private static String ensureBucket(boolean solved) {
        return """
                //SOURCES ../../../lab/teaching/Todo.java
                import io.minio.BucketExistsArgs;
                import io.minio.MakeBucketArgs;
                import io.minio.MinioClient;

                /** Exercise 00.2: create the bucket only when it is missing. Check it: ./jbang course verify 00.2 */
                public class EnsureBucket {
                    public static boolean ensure(MinioClient s3, String bucket) throws Exception {
                """ + (solved ? """
                        if (s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                            return false;
                        }
                        s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                        return true;
                """ : """
                        // TODO 00.2.1: create the bucket when it is missing; say whether you did
                        return Todo.todo("00.2", 1, "create the bucket only when it is missing");
                """) + """
                    }
                }
                """;
    }

    private static void write(Path course, String path, String text) throws IOException {
        Path file = course.resolve(path);
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        }
    }
}
