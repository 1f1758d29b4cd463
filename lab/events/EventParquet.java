//SOURCES EventType.java MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
// parquet-hadoop without a Hadoop installation: hadoop-client-api is one shaded jar (no transitive Hadoop
// jars) that javac needs to pick between parquet's overloads (Path vs OutputFile); no Hadoop code runs,
// because the configuration is PlainParquetConfiguration and Snappy is done here, with snappy-java.
//DEPS org.apache.parquet:parquet-hadoop:1.18.1
//DEPS org.apache.hadoop:hadoop-client-api:3.4.2
//DEPS org.xerial.snappy:snappy-java:1.1.10.8
//DEPS org.slf4j:slf4j-api:2.0.17
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;
import org.xerial.snappy.Snappy;

/**
 * The lake's one Parquet schema, and writing/reading rows of it in memory (no Hadoop, no local files).
 *
 * <p>Every file has the same flat columns whatever event types its rows have: a typed column for every
 * field of every event type, null where a type has no such field, plus where the row came from in Kafka
 * ({@code kafka_partition}, {@code kafka_offset}). The original project built each file's columns from the
 * events in its batch, so files disagreed with each other (schema drift) and readers broke.
 */
public final class EventParquet {
    private EventParquet() {}

    /** The one schema of every file in the lake. Changing it is a migration, not a side effect of a batch. */
    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message music_event {
              required int32 event_type_id;
              required binary event_type (STRING);
              required binary user_id (STRING);
              required binary platform_token (STRING);
              required binary ipv4 (STRING);
              required binary country (STRING);
              optional binary uuid_track (STRING);
              optional binary uuid_track_prev (STRING);
              optional binary uuid_track_current (STRING);
              optional binary uuid_playlist (STRING);
              optional int32 uuid_track_like_status;
              required int64 ts;
              required int64 ts_ms;
              required int64 event_time (TIMESTAMP(MILLIS,true));
              required int32 kafka_partition;
              required int64 kafka_offset;
            }
            """);

    /** One row of the lake: the event and where it was in Kafka. */
    public record Row(MusicEvent event, int kafkaPartition, long kafkaOffset) {}

    /** What a file's footer says: its rows and its columns (name and type, as Parquet prints them). */
    public record Footer(long rows, MessageType schema) {
        /** Column name to type, e.g. {@code kafka_offset -> required int64}. */
        public Map<String, String> columns() {
            Map<String, String> columns = new LinkedHashMap<>();
            for (Type field : schema.getFields()) {
                String printed = field.toString(); // e.g. "optional binary uuid_track (STRING)"
                columns.put(field.getName(), printed.replace(" " + field.getName(), ""));
            }
            return columns;
        }
    }

    /** The columns of {@link #SCHEMA}, as {@link Footer#columns()} prints them. */
    public static Map<String, String> expectedColumns() {
        return new Footer(0, SCHEMA).columns();
    }

    /**
     * Writes the rows as one Snappy-compressed Parquet file, in memory. Rows go straight into Parquet's column writers
     * ({@link RowWriteSupport}), with no generic record object per row in between. Dictionary encoding is off for the
     * columns whose values (nearly) never repeat within a file ({@link #UNIQUE_COLUMNS}: building a dictionary there
     * is work thrown away, and makes the file bigger), min/max statistics are off for random ids, and page checksums
     * are off (S3 checks each object's bytes on upload already). Country, type and track columns keep their
     * dictionaries: their values repeat.
     */
    public static byte[] write(List<Row> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, rows.size() * 64));
        RowWriterBuilder builder = new RowWriterBuilder(new BytesOutputFile(bytes))
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(SnappyCodec.INSTANCE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withPageWriteChecksumEnabled(false);
        for (String column : UNIQUE_COLUMNS) {
            builder.withDictionaryEncoding(column, false);
        }
        for (String column : ID_COLUMNS) {
            builder.withStatisticsEnabled(column, false); // min/max of random ids prune nothing
        }
        try (ParquetWriter<Row> writer = builder.build()) {
            for (Row row : rows) {
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Parquet", e);
        }
        return bytes.toByteArray();
    }

    /** The footer only: row count and schema, without reading any data page. */
    public static Footer footer(byte[] file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new BytesInputFile(file), readOptions())) {
            return new Footer(reader.getRecordCount(), reader.getFooter().getFileMetaData().getSchema());
        } catch (IOException e) {
            throw new UncheckedIOException("not a readable Parquet file", e);
        }
    }

    /** Every row of a file written with {@link #SCHEMA}. */
    public static List<Row> read(byte[] file) {
        List<Row> rows = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new BytesInputFile(file), readOptions())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(fromGroup(records.read()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not a readable Parquet file", e);
        }
        return rows;
    }

    /** Columns whose values nearly never repeat within one object (a user appears once or twice in 1,000 rows). */
    private static final List<String> UNIQUE_COLUMNS = List.of("user_id", "platform_token", "ipv4", "uuid_playlist", "ts", "ts_ms",
            "event_time", "kafka_offset");
    /** Random identifiers: their min and max say nothing a reader could skip a file by. */
    private static final List<String> ID_COLUMNS = List.of("user_id", "platform_token", "uuid_track", "uuid_track_prev",
            "uuid_track_current", "uuid_playlist");

    /** Each event type's name as Parquet bytes, encoded once. */
    private static final Binary[] TYPE_NAMES = new Binary[16];

    static {
        for (EventType t : EventType.values()) {
            TYPE_NAMES[t.id] = Binary.fromConstantByteArray(t.nameEn.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Writes a {@link Row} field by field into Parquet's record consumer, in {@link #SCHEMA}'s order. */
    private static final class RowWriteSupport extends WriteSupport<Row> {
        private RecordConsumer out;

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return new WriteContext(SCHEMA, Map.of());
        }

        @Override
        public WriteContext init(org.apache.parquet.conf.ParquetConfiguration configuration) {
            return new WriteContext(SCHEMA, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Row row) {
            MusicEvent e = row.event();
            out.startMessage();
            integer(0, "event_type_id", e.type().id);
            binary(1, "event_type", TYPE_NAMES[e.type().id]);
            string(2, "user_id", e.userId());
            string(3, "platform_token", e.platformToken());
            string(4, "ipv4", e.ipv4());
            string(5, "country", e.country());
            string(6, "uuid_track", e.uuidTrack()); // optional columns: a null is a field not written
            string(7, "uuid_track_prev", e.uuidTrackPrev());
            string(8, "uuid_track_current", e.uuidTrackCurrent());
            string(9, "uuid_playlist", e.uuidPlaylist());
            if (e.uuidTrackLikeStatus() != null) {
                integer(10, "uuid_track_like_status", e.uuidTrackLikeStatus());
            }
            longValue(11, "ts", e.ts());
            longValue(12, "ts_ms", e.tsMs());
            longValue(13, "event_time", e.tsMs());
            integer(14, "kafka_partition", row.kafkaPartition());
            longValue(15, "kafka_offset", row.kafkaOffset());
            out.endMessage();
        }

        private void integer(int index, String name, int value) {
            out.startField(name, index);
            out.addInteger(value);
            out.endField(name, index);
        }

        private void longValue(int index, String name, long value) {
            out.startField(name, index);
            out.addLong(value);
            out.endField(name, index);
        }

        private void string(int index, String name, String value) {
            if (value != null) {
                // backed by a byte array: hashing and comparing it (dictionaries, statistics) is cheaper than a ByteBuffer's
                binary(index, name, Binary.fromConstantByteArray(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }

        private void binary(int index, String name, Binary value) {
            out.startField(name, index);
            out.addBinary(value);
            out.endField(name, index);
        }
    }

    private static final class RowWriterBuilder extends ParquetWriter.Builder<Row, RowWriterBuilder> {
        RowWriterBuilder(OutputFile file) {
            super(file);
        }

        @Override
        protected RowWriterBuilder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowWriteSupport();
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
            return new RowWriteSupport();
        }
    }

    private static Row fromGroup(Group g) {
        MusicEvent e = new MusicEvent(
                EventType.byId(g.getInteger("event_type_id", 0)),
                g.getString("user_id", 0), g.getString("platform_token", 0), g.getString("ipv4", 0), g.getString("country", 0),
                optionalString(g, "uuid_track"), optionalString(g, "uuid_track_prev"), optionalString(g, "uuid_track_current"),
                optionalString(g, "uuid_playlist"),
                g.getFieldRepetitionCount("uuid_track_like_status") == 0 ? null : g.getInteger("uuid_track_like_status", 0),
                g.getLong("ts_ms", 0));
        return new Row(e, g.getInteger("kafka_partition", 0), g.getLong("kafka_offset", 0));
    }

    private static String optionalString(Group g, String field) {
        return g.getFieldRepetitionCount(field) == 0 ? null : g.getString(field, 0);
    }

    /** Read options with our codec factory: ParquetReadOptions.Builder has no setter for it, only a protected field. */
    private static ParquetReadOptions readOptions() {
        return new ParquetReadOptions.Builder(new PlainParquetConfiguration()) {
            {
                codecFactory = SnappyCodec.INSTANCE;
            }
        }.build();
    }

    /**
     * Snappy (and no compression) straight through snappy-java. Parquet's own codec factory builds a Hadoop
     * Configuration to find codecs, which needs Hadoop's runtime jars; this needs none.
     */
    private static final class SnappyCodec implements CompressionCodecFactory {
        static final SnappyCodec INSTANCE = new SnappyCodec();

        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName codec) {
            check(codec);
            return new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    return codec == CompressionCodecName.UNCOMPRESSED ? bytes : BytesInput.from(Snappy.compress(bytesOf(bytes)));
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return codec;
                }

                @Override
                public void release() {}
            };
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
            check(codec);
            return new BytesInputDecompressor() {
                @Override
                public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                    if (codec == CompressionCodecName.UNCOMPRESSED) {
                        return bytes;
                    }
                    byte[] out = new byte[uncompressedSize];
                    Snappy.uncompress(bytesOf(bytes), 0, (int) bytes.size(), out, 0);
                    return BytesInput.from(out);
                }

                @Override
                public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
                    byte[] in = new byte[compressedSize];
                    input.get(in);
                    byte[] out = codec == CompressionCodecName.UNCOMPRESSED ? in : Snappy.uncompress(in);
                    output.put(out, 0, uncompressedSize);
                }

                @Override
                public void release() {}
            };
        }

        @Override
        public void release() {}

        private static byte[] bytesOf(BytesInput in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) in.size());
            in.writeAllTo(out);
            return out.toByteArray();
        }

        private static void check(CompressionCodecName codec) {
            if (codec != CompressionCodecName.SNAPPY && codec != CompressionCodecName.UNCOMPRESSED) {
                throw new IllegalArgumentException("the course's lake uses SNAPPY; " + codec + " is not supported here");
            }
        }
    }

    /** A Parquet output "file" that is a byte array. */
    private record BytesOutputFile(ByteArrayOutputStream bytes) implements OutputFile {
        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return createOrOverwrite(blockSizeHint);
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            bytes.reset();
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return bytes.size();
                }

                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.write(b, off, len);
                }
            };
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }

    /** A Parquet input "file" that is a byte array (an object fetched from S3). */
    private record BytesInputFile(byte[] bytes) implements InputFile {
        @Override
        public long getLength() {
            return bytes.length;
        }

        @Override
        public SeekableInputStream newStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() {
                    return bytes.length - in.available();
                }

                @Override
                public void seek(long newPos) {
                    in.reset();
                    in.skip(newPos);
                }
            };
        }
    }
}
