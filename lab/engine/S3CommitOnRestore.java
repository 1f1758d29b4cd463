//COMPILE_OPTIONS -encoding UTF-8
// (no //DEPS of its own: FlinkLake.java, which sources this file, brings Flink and flink-s3-fs-native)
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.BlockLocation;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.plugin.PluginManager;
import org.apache.flink.fs.s3native.NativeS3FileSystemFactory;

/**
 * Flink 2.3's native S3 file system (flink-s3-fs-native), with one repair: a restore that finds a file already
 * committed. A checkpoint holds the file sink's pending files; they are committed (their multipart uploads completed)
 * when the checkpoint completes. A job killed after that and restored from the same checkpoint commits them again.
 * Flink's older S3 file system (flink-s3-fs-hadoop) then sees that the object is there, complete, and goes on; the
 * native one in 2.3.0 only repeats the completion, which S3 refuses for an upload that no longer exists (MinIO and
 * S3Proxy answer NoSuchUpload / NoSuchKey), and the restored job fails. Here, as in the Hadoop one: when completing
 * fails and the object exists with exactly the bytes of the upload, it was committed before, and that is success.
 *
 * <p>Registered for {@code s3://} ahead of the plain native factory (a higher priority) by {@link #initialize}.
 */
public final class S3CommitOnRestore implements FileSystemFactory {
    private final NativeS3FileSystemFactory nativeS3 = new NativeS3FileSystemFactory();

    /** Initializes Flink's file systems for this JVM with this factory for s3://, then the ones on the classpath. */
    public static void initialize(Configuration conf) {
        FileSystem.initialize(conf, new PluginManager() {
            @Override
            @SuppressWarnings("unchecked")
            public <P> Iterator<P> load(Class<P> service) {
                return service == FileSystemFactory.class ? (Iterator<P>) List.of(new S3CommitOnRestore()).iterator()
                        : Collections.emptyIterator();
            }
        });
    }

    @Override
    public String getScheme() {
        return "s3";
    }

    @Override
    public int getPriority() {
        return 1; // the native factory has the default, 0
    }

    @Override
    public void configure(Configuration config) {
        nativeS3.configure(config);
    }

    @Override
    public FileSystem create(URI fsUri) throws IOException {
        return new Fs(nativeS3.create(fsUri));
    }

    /** The native file system, with its recoverable writer wrapped. */
    private static final class Fs extends FileSystem {
        private final FileSystem s3;

        Fs(FileSystem s3) {
            this.s3 = s3;
        }

        @Override
        public RecoverableWriter createRecoverableWriter() throws IOException {
            return new Writer(s3, s3.createRecoverableWriter());
        }

        @Override
        public Path getWorkingDirectory() {
            return s3.getWorkingDirectory();
        }

        @Override
        public Path getHomeDirectory() {
            return s3.getHomeDirectory();
        }

        @Override
        public URI getUri() {
            return s3.getUri();
        }

        @Override
        public FileStatus getFileStatus(Path f) throws IOException {
            return s3.getFileStatus(f);
        }

        @Override
        public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long len) throws IOException {
            return s3.getFileBlockLocations(file, start, len);
        }

        @Override
        public FSDataInputStream open(Path f, int bufferSize) throws IOException {
            return s3.open(f, bufferSize);
        }

        @Override
        public FSDataInputStream open(Path f) throws IOException {
            return s3.open(f);
        }

        @Override
        public FileStatus[] listStatus(Path f) throws IOException {
            return s3.listStatus(f);
        }

        @Override
        public boolean delete(Path f, boolean recursive) throws IOException {
            return s3.delete(f, recursive);
        }

        @Override
        public boolean mkdirs(Path f) throws IOException {
            return s3.mkdirs(f);
        }

        @Override
        public FSDataOutputStream create(Path f, WriteMode overwriteMode) throws IOException {
            return s3.create(f, overwriteMode);
        }

        @Override
        public boolean rename(Path src, Path dst) throws IOException {
            return s3.rename(src, dst);
        }

        @Override
        public boolean isDistributedFS() {
            return s3.isDistributedFS();
        }
    }

    /** The native writer, whose committers accept a file that a previous run already committed. */
    private record Writer(FileSystem s3, RecoverableWriter writer) implements RecoverableWriter {
        @Override
        public RecoverableFsDataOutputStream.Committer recoverForCommit(CommitRecoverable pending) throws IOException {
            RecoverableFsDataOutputStream.Committer committer = writer.recoverForCommit(pending);
            return new RecoverableFsDataOutputStream.Committer() {
                @Override
                public void commit() throws IOException {
                    committer.commit();
                }

                @Override
                public void commitAfterRecovery() throws IOException {
                    try {
                        committer.commitAfterRecovery();
                    } catch (IOException e) {
                        if (!alreadyCommitted(pending)) {
                            throw e;
                        }
                    }
                }

                @Override
                public CommitRecoverable getRecoverable() {
                    return committer.getRecoverable();
                }
            };
        }

        /** The upload's object exists with exactly the upload's bytes: completed by the run before the restore. */
        private boolean alreadyCommitted(CommitRecoverable pending) throws IOException {
            String key;
            long bytes;
            try {
                // NativeS3Recoverable is package-private in 2.3.0; its accessors are public
                Method name = pending.getClass().getMethod("getObjectName");
                Method length = pending.getClass().getMethod("numBytesInParts");
                name.setAccessible(true);
                length.setAccessible(true);
                key = (String) name.invoke(pending);
                bytes = (Long) length.invoke(pending);
            } catch (ReflectiveOperationException e) {
                throw new IOException("cannot read the pending file's object name and size from " + pending.getClass(), e);
            }
            URI root = s3.getUri();
            Path object = new Path(root.getScheme(), root.getAuthority(), "/" + key);
            return s3.exists(object) && s3.getFileStatus(object).getLen() == bytes;
        }

        @Override
        public RecoverableFsDataOutputStream open(Path path) throws IOException {
            return writer.open(path);
        }

        @Override
        public RecoverableFsDataOutputStream recover(ResumeRecoverable resumable) throws IOException {
            return writer.recover(resumable);
        }

        @Override
        public boolean requiresCleanupOfRecoverableState() {
            return writer.requiresCleanupOfRecoverableState();
        }

        @Override
        public boolean cleanupRecoverableState(ResumeRecoverable resumable) throws IOException {
            return writer.cleanupRecoverableState(resumable);
        }

        @Override
        public SimpleVersionedSerializer<CommitRecoverable> getCommitRecoverableSerializer() {
            return writer.getCommitRecoverableSerializer();
        }

        @Override
        public SimpleVersionedSerializer<ResumeRecoverable> getResumeRecoverableSerializer() {
            return writer.getResumeRecoverableSerializer();
        }

        @Override
        public boolean supportsResume() {
            return writer.supportsResume();
        }
    }
}
