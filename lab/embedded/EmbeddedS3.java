//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
//DEPS org.gaul:s3proxy:2.9.0
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 API server (S3Proxy) inside this JVM, checking signatures with the given keys like MinIO does.
 * Objects live in memory, or in a folder when one is given (so the lab's lake survives a restart).
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final String endpoint;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, String endpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
    }

    /** Starts on 127.0.0.1:{@code port} (0 = any free port); {@code folder} null keeps objects in memory. */
    public static EmbeddedS3 start(int port, String accessKey, String secretKey, Path folder) throws Exception {
        return start("127.0.0.1", port, accessKey, secretKey, folder);
    }

    /**
     * The same on {@code host} ("0.0.0.0": every address of this machine, for a workshop's room; it then answers only
     * requests signed with these keys, which must not be the lab's well-known ones: {@link WorkshopLab}).
     */
    public static EmbeddedS3 start(String host, int port, String accessKey, String secretKey, Path folder) throws Exception {
        BlobStoreContext context;
        if (folder == null) {
            context = ContextBuilder.newBuilder("transient-nio2")
                    .credentials("lab", "lab")
                    .buildView(BlobStoreContext.class);
        } else {
            Files.createDirectories(folder);
            Properties overrides = new Properties();
            overrides.setProperty("jclouds.filesystem.basedir", folder.toAbsolutePath().toString());
            context = ContextBuilder.newBuilder("filesystem-nio2")
                    .credentials("lab", "lab")
                    .overrides(overrides)
                    .buildView(BlobStoreContext.class);
        }
        BlobStore store = context.getBlobStore();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within 10 s (state " + proxy.getState() + ")");
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            stopQuietly(proxy);
            context.close();
            throw e;
        }
        // this machine's own programs reach it at 127.0.0.1 whatever the host it binds
        return new EmbeddedS3(proxy, context, "http://127.0.0.1:" + proxy.getPort());
    }

    /** Creates a bucket directly in the store (what MinIO's one-shot init container does in compose). */
    public void createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        stopQuietly(proxy);
        context.close();
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            System.err.println("S3Proxy did not stop cleanly: " + e);
        }
    }
}
