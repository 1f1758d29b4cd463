import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.Records;
import org.junit.jupiter.api.Test;

/**
 * Exercise 09.1: s3() over the lake answers "likes and unlikes on one day" from that day's like/unlike folders only:
 * the counts equal Java's, and ClickHouse read no more rows than those folders hold (a filter on the rows' own time
 * would read the whole lake).
 */
class LakeFilterTest {

    @Test
    void likesOfOneDayComeFromTheirFoldersOnly() throws Exception {
        Path sql = LakeFixture.exercise("09.1", "lake_filter.sql", 1, "filter on the partition columns event_date and event_type");
        LakeFixture lake = LakeFixture.get();
        String day = lake.params().get("event_date");
        Map<String, Long> expected = new TreeMap<>();
        lake.produced.stream().filter(e -> e.eventDate().toString().equals(day))
                .filter(e -> e.type() == EventType.TRACK_LIKE || e.type() == EventType.TRACK_UNLIKE)
                .forEach(e -> expected.merge(e.type().nameEn, 1L, Long::sum));
        Map<String, Long> actual = new TreeMap<>();
        long readRows;
        try (Records rows = lake.ch.client().queryRecords(ClickHouse.statement(sql, lake.params())).get(2, TimeUnit.MINUTES)) {
            for (GenericRecord r : rows) {
                actual.put(r.getString("event_type"), r.getLong("events"));
                assertThat(r.getLong("files")).as("files read for %s", r.getString("event_type")).isPositive();
            }
            readRows = rows.getReadRows();
        }
        assertThat(actual).as("likes and unlikes on %s, per type", day).isEqualTo(expected);
        long inThoseFolders = expected.values().stream().mapToLong(Long::longValue).sum();
        assertThat(readRows).as("rows ClickHouse read to answer (the lake has %,d): only the folders of %s, like and unlike",
                LakeFixture.EVENTS, day).isLessThanOrEqualTo(inThoseFolders);
    }
}
