import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The sink copies an event's texts straight from the message into its Parquet rows (CanonicalEvent.Spans, no String in
 * between). The file must be the one written from the parsed events, and read back as those events.
 */
class EventParquetRowsTest {
    @Test
    void textsLongerThanAChunkOfTheRowsTextStoreAreKeptWhole() {
        // the store keeps texts in 128 KB chunks; a country of 60,000 characters (not a valid event's, but Rows takes
        // any MusicEvent) needs 180,000 bytes reserved for its UTF-8, more than a chunk
        MusicEvent base = new Clickstream(3).next();
        String huge = "\u044e".repeat(60_000);
        MusicEvent odd = new MusicEvent(base.type(), base.userId(), base.platformToken(), base.ipv4(), huge, base.uuidTrack(),
                base.uuidTrackPrev(), base.uuidTrackCurrent(), base.uuidPlaylist(), base.uuidTrackLikeStatus(), base.tsMs());
        List<EventParquet.Row> rows = List.of(new EventParquet.Row(base, 0, 1), new EventParquet.Row(odd, 0, 2),
                new EventParquet.Row(base, 0, 3), new EventParquet.Row(odd, 0, 4), new EventParquet.Row(base, 0, 5));
        assertThat(EventParquet.read(EventParquet.write(rows))).as("rows around two very long texts, written and read back").isEqualTo(rows);
    }

    @Test
    void rowsCopiedFromTheMessagesBytesMakeTheFileOfTheParsedEvents() throws Exception {
        Clickstream stream = new Clickstream(11);
        EventParquet.Rows fromBytes = new EventParquet.Rows();
        EventParquet.Rows fromEvents = new EventParquet.Rows();
        List<EventParquet.Row> expected = new ArrayList<>();
        CanonicalEvent.Spans spans = new CanonicalEvent.Spans();
        for (int i = 0; i < 5_000; i++) {
            byte[] message = stream.next().toBytes();
            byte[] framed = new byte[message.length + 7]; // a message inside a larger array, as a fetch buffer holds it
            System.arraycopy(message, 0, framed, 3, message.length);
            assertThat(CanonicalEvent.read(framed, 3, 3 + message.length, spans)).as("event %d read from its bytes", i).isTrue();
            fromBytes.add(framed, spans, 2, 100L + i);
            MusicEvent event = MusicEvent.parse(message);
            fromEvents.add(event, 2, 100L + i);
            expected.add(new EventParquet.Row(event, 2, 100L + i));
        }
        assertThat(fromBytes.bytes()).as("text held: more than one chunk of the rows' text store (128 KB)").isGreaterThan(4 * 128 * 1024);
        byte[] file = EventParquet.write(fromBytes);
        assertThat(file).as("the file written from the bytes' rows vs from the parsed events'").isEqualTo(EventParquet.write(fromEvents));
        assertThat(EventParquet.read(file)).as("the rows read back from the file").isEqualTo(expected);
    }
}
