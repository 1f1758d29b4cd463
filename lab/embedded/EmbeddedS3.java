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
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

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
        BlobStore store = new TokensAsGiven(context.getBlobStore());
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

    /**
     * S3Proxy 2.9 percent-encodes a listing's NextContinuationToken (the last key of the page) when the client asks for
     * {@code encoding-type=url}, as MinIO's SDK and boto3 do, then takes the token back as the marker without decoding
     * it: {@code music_events/event_date%3D2026-11-24/...} sorts before every {@code music_events/event_date=...} key, so
     * the second page was the first again and a listing of more than 1,000 objects never ended (EmbeddedS3ListingTest).
     * The lab's keys never hold a '%' (dates, event types, topic names, offsets), so a marker that does is decoded. A real
     * MinIO (compose) gives opaque tokens and needs nothing of this.
     */
    static final class TokensAsGiven extends ForwardingBlobStore {
        TokensAsGiven(BlobStore store) {
            super(store);
        }

        @Override
        public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
            String marker = options.getMarker();
            if (marker != null && marker.indexOf('%') >= 0) {
                options.afterMarker(percentDecoded(marker));
            }
            return super.list(container, options);
        }

        /** %XX sequences back to their UTF-8 bytes; everything else (a '+' too) as it is. */
        static String percentDecoded(String s) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    out.write(b, 0, b.length);
                }
            }
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
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
