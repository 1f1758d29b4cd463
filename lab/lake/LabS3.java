//SOURCES ../LabConfig.java ../LabException.java ../kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
//DEPS io.minio:minio:8.5.17
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.SocketFactory;

import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.minio.http.HttpUtils;
import io.minio.messages.Bucket;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/** The S3 side of the lab: a MinIO client for the configured endpoint, and a probe with clear errors. */
public final class LabS3 {
    private LabS3() {}

    /**
     * A client for the lab's S3 endpoint (MinIO with compose, S3Proxy without Docker, or any S3 API).
     * Close it when done: an open client keeps an HTTP thread alive for a minute.
     */
    public static MinioClient client(LabConfig lab) {
        // short timeouts: a missing server should be reported in seconds, not after OkHttp's defaults
        OkHttpClient.Builder http = HttpUtils.newDefaultHttpClient(TimeUnit.SECONDS.toMillis(3), TimeUnit.SECONDS.toMillis(30),
                        TimeUnit.SECONDS.toMillis(30))
                .newBuilder().socketFactory(NO_DELAY);
        if (lab.s3Endpoint().startsWith("http://")) {
            // plain HTTP only (the lab, compose's MinIO): the SDK builds a new OkHttpClient from this one for every PUT of
            // a stream, and a client able to speak TLS then compares its store of trusted certificates (~150 CAs) with
            // the copy's, ~0.5 ms per PUT (6% of the sink's CPU in a profile). A cleartext client carries no TLS state.
            http.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        return MinioClient.builder()
                .endpoint(lab.s3Endpoint())
                .credentials(lab.s3AccessKey(), lab.s3SecretKey())
                // a fixed region skips a GetBucketLocation round trip before every call
                .region("us-east-1")
                .httpClient(http.build(), true) // true: close() shuts its threads and connections down, as for the SDK's own
                .build();
    }

    /**
     * Sockets with Nagle's algorithm off (TCP_NODELAY). OkHttp leaves Java's default (Nagle on) and writes a PUT as two
     * writes, the headers then the body. Nagle holds the body back until the headers are acknowledged, and the server,
     * which has nothing to answer before it has the body, delays that ACK by ~40 ms (Linux; ~200 ms elsewhere). On
     * loopback (MSS 64 KB) every body under 64 KB waited for it: a 30 KB PUT took 46-50 ms instead of 3. The capture and
     * the figures are in docs/benchmarks.md ("The 40 ms PUT stall"). The fix belongs here, in the client every lesson
     * uses: it is the client's socket, whatever the server (S3Proxy, MinIO, AWS).
     */
    private static final SocketFactory NO_DELAY = new SocketFactory() {
        private final SocketFactory plain = SocketFactory.getDefault();

        private Socket noDelay(Socket s) throws IOException {
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket() throws IOException { // what OkHttp calls: an unconnected socket it then connects
            return noDelay(plain.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(plain.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return noDelay(plain.createSocket(address, port, localAddress, localPort));
        }
    };

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
