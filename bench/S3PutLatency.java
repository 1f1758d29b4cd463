///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ProcessCpu.java ../lab/lake/LabS3.java ../lab/embedded/EmbeddedS3.java ../lab/LabConfig.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Random;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;

/**
 * How long one PUT of an object takes against the lab's S3, by object size: the table that found the ~40 ms stall
 * (docs/benchmarks.md, "The 40 ms PUT stall"). Not a test: a measurement.
 *
 *   ./jbang bench/S3PutLatency.java [--puts 30]         an S3Proxy of its own in this JVM, on a free port
 *   S3_ENDPOINT=http://127.0.0.1:9000 ./jbang bench/S3PutLatency.java    the lab's S3 (./jbang lab up, or MinIO)
 *   ./jbang bench/S3PutLatency.java --nagle            the MinIO SDK's own client (Nagle on): the stall as it was
 *
 * Each size gets 5 unmeasured PUTs first (connection set-up, JIT), then --puts measured ones, one after the other on
 * one client, as the sink makes them. The CPU column is this JVM's: the client's, and the S3 server's when it runs here.
 */
class S3PutLatency {
    public static void main(String[] args) throws Exception {
        java.util.List<String> a = java.util.List.of(args);
        int puts = a.contains("--puts") ? Integer.parseInt(a.get(a.indexOf("--puts") + 1)) : 30;
        boolean nagle = a.contains("--nagle");
        String endpoint = LabConfig.setting("S3_ENDPOINT");
        EmbeddedS3 own = endpoint == null ? EmbeddedS3.start(0, "minioadmin", "minioadmin", null) : null;
        LabConfig lab = own == null ? LabConfig.fromEnvironment()
                : LabConfig.localDefaults().withS3(own.endpoint(), "minioadmin", "minioadmin", "bench");
        String bucket = "put-latency-" + System.currentTimeMillis();
        System.out.printf("PUT latency against %s (%s), %d PUTs per size, one client, one after the other; %s%n",
                lab.s3Endpoint(), own != null ? "an S3Proxy in this JVM" : "S3_ENDPOINT", puts,
                nagle ? "the SDK's own client (Nagle on)" : "LabS3.client (TCP_NODELAY)");
        try (MinioClient s3 = nagle ? MinioClient.builder().endpoint(lab.s3Endpoint()).region("us-east-1")
                .credentials(lab.s3AccessKey(), lab.s3SecretKey()).build() : LabS3.client(lab)) {
            s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            System.out.println();
            // CPU: this JVM's, so the client's, plus the server's when the S3Proxy runs here (no S3_ENDPOINT)
            System.out.printf("| object size | mean | median | best | worst | CPU per PUT (%s) |%n", own != null ? "client + server" : "client");
            System.out.println("|---:|---:|---:|---:|---:|---:|");
            Random random = new Random(1);
            for (int size : new int[] {1 << 10, 30 << 10, 100 << 10, 1 << 20}) {
                byte[] body = new byte[size];
                random.nextBytes(body); // incompressible, like Snappy-compressed Parquet
                double[] ms = new double[puts];
                long cpuStart = 0;
                for (int i = -5; i < puts; i++) {
                    if (i == 0) {
                        cpuStart = ProcessCpu.nanos();
                    }
                    long t0 = System.nanoTime();
                    s3.putObject(PutObjectArgs.builder().bucket(bucket).object("o/" + size + "/" + i)
                            .stream(new ByteArrayInputStream(body), size, -1).build());
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                double cpuMs = (ProcessCpu.nanos() - cpuStart) / 1e6 / puts;
                Arrays.sort(ms);
                System.out.printf("| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.2f ms |%n", size < 1 << 20 ? (size >> 10) + " KB" : (size >> 20) + " MB",
                        Arrays.stream(ms).average().orElse(0), ms[puts / 2], ms[0], ms[puts - 1], cpuMs);
            }
        } finally {
            if (own != null) {
                own.close();
            }
        }
    }
}
