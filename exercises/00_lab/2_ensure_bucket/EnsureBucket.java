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
        // TODO 00.2.1: ask the S3 server whether the bucket exists (s3.bucketExists, with BucketExistsArgs);
        //  when it does, return false. Then remove the Todo line below.
        Todo.todo("00.2", 1, "ask whether the bucket exists, and return false when it does");
        // TODO 00.2.2: it is missing: create it (s3.makeBucket, with MakeBucketArgs) and return true.
        return Todo.todo("00.2", 2, "create the missing bucket and return true");
    }
}
