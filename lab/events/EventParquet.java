//SOURCES EventType.java MusicEvent.java CanonicalEvent.java
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
        Rows buffer = new Rows();
        for (Row r : rows) {
            buffer.add(r.event(), r.kafkaPartition(), r.kafkaOffset());
        }
        return write(buffer);
    }

    /** Writes the rows of a {@link Rows} buffer as one file (see {@link #write(List)}). */
    public static byte[] write(Rows rows) {
        return file(rows).toByteArray();
    }

    /** A file's bytes where they were written, read without a copy: a sink uploads them as they are. */
    public static final class FileBytes extends ByteArrayOutputStream {
        FileBytes(int size) {
            super(size);
        }

        /** The file's bytes as a stream, over the buffer they were written to. */
        public java.io.InputStream open() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }

    /** Writes the rows as one file (see {@link #write(List)}), kept where it was written (no copy of the whole file). */
    public static FileBytes file(Rows rows) {
        FileBytes bytes = new FileBytes((int) Math.max(1024, rows.bytes() * 2 / 3)); // a file is ~200 bytes a row: grown once at most
        try (ParquetWriter<Rows.Cursor> writer = lakeSettings(new RowWriterBuilder(new BytesOutputFile(bytes), rows)).build()) {
            Rows.Cursor cursor = new Rows.Cursor();
            for (cursor.row = 0; cursor.row < rows.size(); cursor.row++) {
                writer.write(cursor);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Parquet", e);
        }
        return bytes;
    }

    /**
     * A writer of rows into any Parquet {@link OutputFile}, with the lake's schema, codec and encodings: lesson 12's
     * distributed engine streams each part file to S3 with it, row by row, through the same column writer as
     * {@link #write(Rows)}.
     */
    public static ParquetWriter<Row> writer(OutputFile out) throws IOException {
        return lakeSettings(new StreamWriterBuilder(out)).build();
    }

    /** The lake's file settings, the same for a batch in memory and a streamed part file. */
    private static <B extends ParquetWriter.Builder<?, B>> B lakeSettings(B builder) {
        builder.withConf(new PlainParquetConfiguration())
                .withCodecFactory(SnappyCodec.INSTANCE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withPageWriteChecksumEnabled(false)
                // pages of 256 KB, not 1 MB: a page's buffers and its compressed copy stay under half a 1 MB region,
                // where G1 at a small heap (the sink runs in 128 MB) allocates "humongous" objects, a GC cycle each
                .withPageSize(256 * 1024);
        for (String column : UNIQUE_COLUMNS) {
            builder.withDictionaryEncoding(column, false);
        }
        for (String column : ID_COLUMNS) {
            builder.withStatisticsEnabled(column, false); // min/max of random ids prune nothing
        }
        return builder;
    }

    /**
     * Rows of the lake kept column by column in a few arrays, the way Parquet will want them: about 300 bytes and no
     * object per row. A sink holds its open batch and the batches being stored; held as events (an object, its Strings,
     * a row: ~8 objects per row), they were copied again and again by the garbage collector while they waited, which
     * cost the sink a quarter of its time. Here the events are read into the arrays and dropped at once.
     */
    public static final class Rows {
        /** user_id, platform_token, ipv4, country, uuid_track, uuid_track_prev, uuid_track_current, uuid_playlist. */
        private static final int STRINGS = 8;
        /**
         * The texts, in chunks of at most {@link #CHUNK} bytes (a text's position: its chunk, then where in it). One
         * growing array passed 512 KB in a batch's larger groups, and an array that big is a "humongous" object to
         * G1 at a small heap (half a 1 MB region): each one started a GC cycle of its own.
         */
        private byte[][] chunks = new byte[4][];
        private int chunk;
        private long earlierChunks;
        private byte[] text = new byte[16 * 1024];
        private int textLength;
        private static final int CHUNK_BITS = 17;
        private static final int CHUNK = 1 << CHUNK_BITS;
        private int[] at = new int[STRINGS * 64];
        private int[] length = new int[STRINGS * 64];
        private byte[] type = new byte[64];
        private int[] like = new int[64];
        private long[] tsMs = new long[64];
        private int[] partition = new int[64];
        private long[] offset = new long[64];
        private int size;

        public Rows() {
            chunks[0] = text;
        }

        /** One row's room: a streamed file keeps each row in a Rows of its own (Parquet may hold on to its bytes). */
        private Rows(int textBytes) {
            text = new byte[textBytes];
            chunks = new byte[][] {text};
            at = new int[STRINGS];
            length = new int[STRINGS];
            type = new byte[1];
            like = new int[1];
            tsMs = new long[1];
            partition = new int[1];
            offset = new long[1];
        }

        /** The row a Parquet writer is at. */
        static final class Cursor {
            int row;
        }

        public void add(MusicEvent e, int kafkaPartition, long kafkaOffset) {
            room();
            int base = size * STRINGS;
            text(base, e.userId());
            text(base + 1, e.platformToken());
            text(base + 2, e.ipv4());
            text(base + 3, e.country());
            text(base + 4, e.uuidTrack());
            text(base + 5, e.uuidTrackPrev());
            text(base + 6, e.uuidTrackCurrent());
            text(base + 7, e.uuidPlaylist());
            type[size] = (byte) e.type().id;
            like[size] = e.uuidTrackLikeStatus() == null ? Integer.MIN_VALUE : e.uuidTrackLikeStatus();
            tsMs[size] = e.tsMs();
            partition[size] = kafkaPartition;
            offset[size] = kafkaOffset;
            size++;
        }

        /**
         * One row straight from a message's bytes, as {@link CanonicalEvent} found its texts there: the same row as
         * {@code add(spans.event(message), ...)} (EventParquetRowsTest), with no String made and none read back.
         */
        void add(byte[] message, CanonicalEvent.Spans spans, int kafkaPartition, long kafkaOffset) {
            room();
            int base = size * STRINGS;
            for (int k = 0; k < STRINGS; k++) {
                int from = spans.at[k];
                if (from < 0) {
                    at[base + k] = -1;
                    continue;
                }
                int n = spans.length[k];
                reserve(n);
                System.arraycopy(message, from, text, textLength, n);
                at[base + k] = chunk << CHUNK_BITS | textLength;
                length[base + k] = n;
                textLength += n;
            }
            type[size] = (byte) spans.type.id;
            like[size] = spans.like;
            tsMs[size] = spans.tsMs;
            partition[size] = kafkaPartition;
            offset[size] = kafkaOffset;
            size++;
        }

        /** Room for one more row. */
        private void room() {
            if (size == type.length) {
                int n = size * 2;
                at = java.util.Arrays.copyOf(at, n * STRINGS);
                length = java.util.Arrays.copyOf(length, n * STRINGS);
                type = java.util.Arrays.copyOf(type, n);
                like = java.util.Arrays.copyOf(like, n);
                tsMs = java.util.Arrays.copyOf(tsMs, n);
                partition = java.util.Arrays.copyOf(partition, n);
                offset = java.util.Arrays.copyOf(offset, n);
            }
        }

        /** Appends a string's UTF-8 bytes (ASCII, the usual case, without an intermediate array); null is at = -1. */
        private void text(int slot, String s) {
            if (s == null) {
                at[slot] = -1;
                return;
            }
            int n = s.length();
            reserve(n * 3); // a char is at most 3 bytes of UTF-8 (a surrogate pair 4 for 2)
            int start = textLength;
            int i = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                text[textLength++] = (byte) c;
            }
            if (i < n) { // not ASCII: encode it whole
                byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                textLength = start;
                System.arraycopy(utf8, 0, text, textLength, utf8.length);
                textLength += utf8.length;
            }
            at[slot] = chunk << CHUNK_BITS | start;
            length[slot] = textLength - start;
        }

        /**
         * Room for {@code n} more bytes of text in the current chunk, starting below CHUNK (a position keeps 17 bits for
         * it): the chunk grows up to CHUNK, then a new one starts, as long as the text if one is longer.
         */
        private void reserve(int n) {
            if (textLength + n <= text.length && textLength < CHUNK) {
                return;
            }
            if (textLength + n <= CHUNK) {
                text = java.util.Arrays.copyOf(text, Math.min(CHUNK, Math.max(text.length * 2, textLength + n)));
            } else {
                earlierChunks += textLength;
                chunks[chunk++] = text;
                if (chunk == chunks.length) {
                    chunks = java.util.Arrays.copyOf(chunks, chunk * 2);
                }
                text = new byte[Math.max(CHUNK, n)];
                textLength = 0;
            }
            chunks[chunk] = text;
        }

        public int size() {
            return size;
        }

        /** Bytes held, about. */
        public long bytes() {
            return earlierChunks + textLength + (long) size * (STRINGS * 8 + 29);
        }

        Binary string(int row, int field) {
            int slot = row * STRINGS + field;
            int where = at[slot];
            return where < 0 ? null : Binary.fromConstantByteArray(chunks[where >>> CHUNK_BITS], where & (CHUNK - 1), length[slot]);
        }
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

    /** Columns whose values rarely repeat within one object (a user appears once or twice in 1,000 rows; skips are spread). */
    private static final List<String> UNIQUE_COLUMNS = List.of("user_id", "platform_token", "ipv4", "uuid_track_prev", "uuid_track_current",
            "uuid_playlist", "ts", "ts_ms", "event_time", "kafka_offset");
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

    /** Writes a row of {@link Rows} field by field into Parquet's record consumer, in {@link #SCHEMA}'s order. */
    private static final class RowWriteSupport extends WriteSupport<Rows.Cursor> {
        private Rows rows;
        private RecordConsumer out;

        RowWriteSupport(Rows rows) {
            this.rows = rows;
        }

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
        public void write(Rows.Cursor cursor) {
            int r = cursor.row;
            int typeId = rows.type[r];
            out.startMessage();
            integer(0, "event_type_id", typeId);
            binary(1, "event_type", TYPE_NAMES[typeId]);
            binary(2, "user_id", rows.string(r, 0));
            binary(3, "platform_token", rows.string(r, 1));
            binary(4, "ipv4", rows.string(r, 2));
            binary(5, "country", rows.string(r, 3));
            binary(6, "uuid_track", rows.string(r, 4)); // optional columns: a null is a field not written
            binary(7, "uuid_track_prev", rows.string(r, 5));
            binary(8, "uuid_track_current", rows.string(r, 6));
            binary(9, "uuid_playlist", rows.string(r, 7));
            if (rows.like[r] != Integer.MIN_VALUE) {
                integer(10, "uuid_track_like_status", rows.like[r]);
            }
            long tsMs = rows.tsMs[r];
            longValue(11, "ts", Math.floorDiv(tsMs, 1000));
            longValue(12, "ts_ms", tsMs);
            longValue(13, "event_time", tsMs);
            integer(14, "kafka_partition", rows.partition[r]);
            longValue(15, "kafka_offset", rows.offset[r]);
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

        private void binary(int index, String name, Binary value) {
            if (value != null) {
                out.startField(name, index);
                out.addBinary(value);
                out.endField(name, index);
            }
        }
    }

    private static final class RowWriterBuilder extends ParquetWriter.Builder<Rows.Cursor, RowWriterBuilder> {
        private final Rows rows;

        RowWriterBuilder(OutputFile file, Rows rows) {
            super(file);
            this.rows = rows;
        }

        @Override
        protected RowWriterBuilder self() {
            return this;
        }

        @Override
        protected WriteSupport<Rows.Cursor> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowWriteSupport(rows);
        }

        @Override
        protected WriteSupport<Rows.Cursor> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
            return new RowWriteSupport(rows);
        }
    }

    /** Builds a {@link ParquetWriter} of {@link Row}s, one at a time (see {@link #writer(OutputFile)}). */
    private static final class StreamWriterBuilder extends ParquetWriter.Builder<Row, StreamWriterBuilder> {
        StreamWriterBuilder(OutputFile file) {
            super(file);
        }

        @Override
        protected StreamWriterBuilder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new StreamWriteSupport();
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
            return new StreamWriteSupport();
        }
    }

    /** Each row into a {@link Rows} of its own, then through {@link RowWriteSupport}: one column writer for both paths. */
    private static final class StreamWriteSupport extends WriteSupport<Row> {
        private final RowWriteSupport columns = new RowWriteSupport(null);
        private final Rows.Cursor first = new Rows.Cursor();

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return columns.init(configuration);
        }

        @Override
        public WriteContext init(org.apache.parquet.conf.ParquetConfiguration configuration) {
            return columns.init(configuration);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            columns.prepareForWrite(recordConsumer);
        }

        @Override
        public void write(Row row) {
            Rows one = new Rows(256); // a new one each time: Parquet's dictionaries and statistics may keep the bytes
            one.add(row.event(), row.kafkaPartition(), row.kafkaOffset());
            columns.rows = one;
            columns.write(first);
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
                    if (codec == CompressionCodecName.UNCOMPRESSED) {
                        return bytes;
                    }
                    // the page read where it lies (a page that is one array is not copied) and compressed into one array,
                    // handed on as it is: Snappy.compress(byte[]) copied the page in and the result out again, a quarter
                    // of the sink's allocations with the file's own copies, and garbage is what the sink's time went to
                    ByteBuffer in = bytes.toByteBuffer();
                    byte[] page = in.hasArray() ? in.array() : bytes.toByteArray();
                    int offset = in.hasArray() ? in.arrayOffset() + in.position() : 0;
                    int length = in.remaining();
                    byte[] out = new byte[Snappy.maxCompressedLength(length)];
                    return BytesInput.from(out, 0, Snappy.rawCompress(page, offset, length, out, 0));
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
