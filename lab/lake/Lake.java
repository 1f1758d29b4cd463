//SOURCES ../LabException.java
//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
//DEPS io.minio:minio:8.5.17
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;

/**
 * Reading the Parquet lake the sink writes: which objects there are, what their keys say, and their bytes.
 * A key looks like {@code music_events/event_date=2026-11-24/event_type=track_playback/music_events+0+1200.parquet}.
 */
public final class Lake {
    private Lake() {}

    private static final Pattern KEY = Pattern.compile(
            "(?<prefix>.*)event_date=(?<date>\\d{4}-\\d{2}-\\d{2})/event_type=(?<type>[a-z_]+)/(?<topic>.+)\\+(?<partition>\\d+)\\+(?<offset>\\d+)\\.parquet");

    /** One object's key, taken apart: its Hive partition values and the Kafka position of its first row. */
    public record Key(String key, LocalDate eventDate, String eventType, String topic, int partition, long firstOffset, long size) {}

    /** Every {@code .parquet} object under {@code prefix} (recursive); keys that do not look like the sink's are skipped. */
    public static List<Key> list(MinioClient s3, String bucket, String prefix) {
        List<Key> keys = new ArrayList<>();
        try {
            for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                Item item = r.get();
                Key key = parse(item.objectName(), item.size());
                if (key != null) {
                    keys.add(key);
                }
            }
        } catch (Exception e) {
            throw new LabException("Could not list s3://" + bucket + "/" + prefix + ": " + LabKafka.rootMessage(e), e);
        }
        return keys;
    }

    /**
     * Every {@code .parquet} object under {@code prefix}, whatever its name (a data-quality check must also see
     * objects the sink did not name, e.g. copies left by another writer).
     */
    public static List<String> listParquet(MinioClient s3, String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                String name = r.get().objectName();
                if (name.endsWith(".parquet")) {
                    keys.add(name);
                }
            }
        } catch (Exception e) {
            throw new LabException("Could not list s3://" + bucket + "/" + prefix + ": " + LabKafka.rootMessage(e), e);
        }
        return keys;
    }

    /** The value of a Hive partition {@code name=value} in a key, or null. */
    public static String partitionValue(String key, String name) {
        Matcher m = Pattern.compile("(?:^|/)" + Pattern.quote(name) + "=([^/]+)/").matcher(key);
        return m.find() ? m.group(1) : null;
    }

    /** The key's parts, or null when it is not one of the sink's object names. */
    public static Key parse(String key, long size) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return null;
        }
        return new Key(key, LocalDate.parse(m.group("date")), m.group("type"), m.group("topic"),
                Integer.parseInt(m.group("partition")), Long.parseLong(m.group("offset")), size);
    }

    /** An object's bytes. */
    public static byte[] get(MinioClient s3, String bucket, String key) {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new LabException("Could not read s3://" + bucket + "/" + key + ": " + LabKafka.rootMessage(e), e);
        }
    }
}
