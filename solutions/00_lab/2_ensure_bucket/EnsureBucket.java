//SOURCES ../../../lab/lake/LabS3.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;

/**
 * Exercise 00.2: make sure the bucket the course writes to exists, creating it only when it is missing. (The
 * original project wrote to a bucket that only a manual step ever created: on a fresh machine it failed.)
 * Check it: {@code ./jbang course verify 00.2}
 */
public class EnsureBucket {

    /** Creates {@code bucket} when it is missing; returns true when it had to create it, false when it was there. */
    public static boolean ensure(MinioClient s3, String bucket) throws Exception {
        if (s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            return false; // there already: creating it again would fail (BucketAlreadyOwnedByYou)
        }
        s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        return true;
    }
}
