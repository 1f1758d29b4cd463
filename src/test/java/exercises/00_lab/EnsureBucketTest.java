import static org.assertj.core.api.Assertions.assertThat;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import org.junit.jupiter.api.Test;

/** Exercise 00.2: a missing bucket is created once; an existing one is left as it is, with what it holds. */
class EnsureBucketTest {

    @Test
    void aMissingBucketIsCreatedOnceAndThenFound() throws Exception {
        LabConfig lab = TestLab.config();
        String bucket = TestLab.unique("ensure-bucket");
        try (MinioClient s3 = LabS3.client(lab)) {
            assertThat(exists(s3, bucket)).as("bucket before").isFalse();
            assertThat(EnsureBucket.ensure(s3, bucket)).as("first call: the bucket was missing, so it creates it").isTrue();
            assertThat(exists(s3, bucket)).as("the bucket exists on the S3 server").isTrue();
            assertThat(EnsureBucket.ensure(s3, bucket)).as("second call: finds it and creates nothing").isFalse();
            assertThat(LabS3.probe(lab)).as("buckets the server lists").contains(bucket);
        }
    }

    @Test
    void anExistingBucketKeepsItsObjects() throws Exception {
        LabConfig lab = TestLab.config();
        String bucket = TestLab.unique("ensure-bucket");
        try (MinioClient s3 = LabS3.client(lab)) {
            EnsureBucket.ensure(s3, bucket);
            byte[] body = "kept".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            s3.putObject(PutObjectArgs.builder().bucket(bucket).object("a/kept.txt")
                    .stream(new java.io.ByteArrayInputStream(body), body.length, -1).build());

            assertThat(EnsureBucket.ensure(s3, bucket)).as("a bucket that holds objects is there: nothing created").isFalse();
            assertThat(s3.statObject(StatObjectArgs.builder().bucket(bucket).object("a/kept.txt").build()).size())
                    .as("size of the object written before the second call: still there").isEqualTo(body.length);
        }
    }

    private static boolean exists(MinioClient s3, String bucket) throws Exception {
        return s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
    }
}
