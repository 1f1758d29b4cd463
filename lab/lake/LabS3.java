//SOURCES ../LabConfig.java ../LabException.java ../kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
//DEPS io.minio:minio:8.5.17
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Bucket;

/** The S3 side of the lab: a MinIO client for the configured endpoint, and a probe with clear errors. */
public final class LabS3 {
    private LabS3() {}

    /**
     * A client for the lab's S3 endpoint (MinIO with compose, S3Proxy without Docker, or any S3 API).
     * Close it when done: an open client keeps an HTTP thread alive for a minute.
     */
    public static MinioClient client(LabConfig lab) {
        MinioClient client = MinioClient.builder()
                .endpoint(lab.s3Endpoint())
                .credentials(lab.s3AccessKey(), lab.s3SecretKey())
                // a fixed region skips a GetBucketLocation round trip before every call
                .region("us-east-1")
                .build();
        // short timeouts: a missing server should be reported in seconds, not after OkHttp's defaults
        client.setTimeout(TimeUnit.SECONDS.toMillis(3), TimeUnit.SECONDS.toMillis(30), TimeUnit.SECONDS.toMillis(30));
        return client;
    }

    /** Lists the buckets, proving the endpoint answers and the keys are accepted; a {@link LabException} says what failed. */
    public static List<String> probe(LabConfig lab) {
        try (MinioClient s3 = client(lab)) {
            return s3.listBuckets().stream().map(Bucket::name).toList();
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if ("SignatureDoesNotMatch".equals(code) || "InvalidAccessKeyId".equals(code)) {
                throw new LabException("The S3 server at " + lab.s3Endpoint() + " refused the keys (" + code + ").\n"
                        + "  The lab's keys are minioadmin / minioadmin; elsewhere set S3_ACCESS_KEY and S3_SECRET_KEY.", e);
            }
            throw new LabException("The S3 server at " + lab.s3Endpoint() + " answered " + code + ": " + e.getMessage(), e);
        } catch (Exception e) {
            if (causedBy(e, ConnectException.class) || causedBy(e, java.net.SocketTimeoutException.class)) {
                throw new LabException(lab.howToStartS3(), e);
            }
            throw new LabException("Could not talk to S3 at " + lab.s3Endpoint() + ": " + LabKafka.rootMessage(e), e);
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
