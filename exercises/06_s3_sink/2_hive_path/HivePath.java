//SOURCES ../../../lab/lake/SinkRules.java ../../../lab/events/EventType.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.LocalDate;

/**
 * Exercise 06.2: the Hive path by the event's date and type.
 *
 * <p>The sink writes each batch as one Parquet object per (event date, event type), into a folder named the Hive way:
 * {@code key=value} parts, e.g. {@code music_events/event_date=2026-11-24/event_type=track_playback}. ClickHouse
 * ({@code s3()} with hive partitioning, lesson 09), Spark, Trino and DuckDB read {@code event_date} and
 * {@code event_type} from the path as columns, and skip whole folders when a query filters on them.
 *
 * <p>The original project named its folders by the date of <em>writing</em>, with no {@code key=}: a late event (a
 * phone that was offline until the next morning) landed under the wrong day, and readers could not use the path.
 * The date here is the event's own, in UTC; the type is its English name ({@code type.nameEn}).
 *
 * <p>Check it: {@code ./jbang course verify 06.2}
 */
public class HivePath implements SinkRules.Folder {
    @Override
    public String folder(String topic, LocalDate eventDate, EventType type) {
        // TODO 06.2.1: return "<topic>/event_date=<eventDate>/event_type=<type.nameEn>" (no slash at the end),
        //              e.g. "music_events/event_date=2026-11-24/event_type=track_playback".
        return Todo.todo("06.2", 1, "return <topic>/event_date=<eventDate>/event_type=<type.nameEn> in HivePath.folder");
    }
}
