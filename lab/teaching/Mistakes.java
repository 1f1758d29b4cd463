//COMPILE_OPTIONS -encoding UTF-8
import java.util.List;

/**
 * The original project's mistakes, in one place: what it did, what that costs, what the course does instead, and
 * the tests that show it (failing the original's way and passing the fixed way). Lesson 10 prints this table;
 * Lesson10RecommendationsTest checks that every test named here exists.
 */
public final class Mistakes {
    private Mistakes() {}

    /**
     * One mistake. {@code tests} are "TestClass#method" of src/test/java; {@code shownBy} is where else it is shown
     * (a lesson step), and the only evidence when {@code tests} is empty.
     */
    public record Mistake(String original, String cost, String fix, String lesson, List<String> tests, String shownBy) {}

    public static final List<Mistake> ALL = List.of(
            new Mistake("Both ClickHouse Kafka tables shared the consumer group 'foo'",
                    "it works, but one rebalance moves both, their lag is mixed in one group, neither can be watched or reset alone",
                    "one consumer group per Kafka table, named after its job: clickhouse_<topic>",
                    "08",
                    List.of("Lesson08ClickHouseKafkaEngineTest#theOriginalsModelsShareGroupFooReadJsonAndStopAtTheFirstBrokenMessage",
                            "Lesson08ClickHouseKafkaEngineTest#theTwoKafkaTablesUseDifferentConsumerGroups"),
                    "./jbang lesson08, steps 3 and 10"),
            new Mistake("kafka_format = 'JSON'",
                    "not broken (ClickHouse 26.7 reads plain objects with it), but JSON is the name of ClickHouse's {meta, data} "
                            + "document format; JSONEachRow is the one made for one object per message, and the one the docs use",
                    "kafka_format = 'JSONEachRow' with kafka_handle_error_mode = 'stream' and an errors table (my_topic); for "
                            + "music_events RawBLOB, one row per message, judged by one verdict function that agrees with the Java model",
                    "08",
                    List.of("Lesson08ClickHouseKafkaEngineTest#theOriginalsModelsShareGroupFooReadJsonAndStopAtTheFirstBrokenMessage",
                            "Lesson08ClickHouseKafkaEngineTest#myTopicIsReadIntoTypedPeopleAndItsBrokenMessagesIntoKafkaErrors",
                            "KafkaTableTest#everyMessageIsExactlyOneRowOneVerdictPerOffset",
                            "ErrorsViewTest#everyBrokenMessageIsInKafkaErrorsWithWhyAndItsBytes"),
                    "./jbang lesson08, step 3"),
            new Mistake("Every ClickHouse column was a String of raw JSON",
                    "every query re-parses the JSON; no types, no useful sorting key",
                    "parse once in the materialized view into typed columns (UUID, IPv4, DateTime64, LowCardinality)",
                    "08",
                    List.of("TypedViewTest#typedColumnsEqualTheGeneratorsValues"),
                    "sql/08_4_music_events.sql"),
            new Mistake("The Parquet sink relied on auto-commit",
                    "offsets are committed on a timer, not after the file is stored: a crash loses or duplicates up to a batch",
                    "enable.auto.commit=false; commit a partition's offsets only after its objects are stored; names that "
                            + "depend only on the data, so a restart overwrites",
                    "06",
                    List.of("ObjectNameTest#aCrashAfterTheUploadAndBeforeTheCommitIsOverwrittenOnRestart",
                            "FlushOrderTest#aCrashInTheMiddleOfTheUploadsLosesNothing",
                            "Lesson07DataQualityTest#aDeletedObjectIsAGapNamedByPartitionAndOffsets",
                            "Lesson07DataQualityTest#aCopiedObjectIsReportedAsDuplicates"),
                    "./jbang lesson06, the crash steps"),
            new Mistake("Each Parquet file's columns came from the events in its batch",
                    "schema drift: files disagree on their columns and readers break",
                    "one flat schema for every file (EventParquet.SCHEMA), null where a type has no such field",
                    "06",
                    List.of("Lesson06S3SinkTest#everyEventLandsExactlyOnceUnderItsEventDateAndTypeWithOneSchema",
                            "Lesson07DataQualityTest#aFileOfAnotherSchemaIsReportedAsDrift"),
                    "./jbang lesson07"),
            new Mistake("Files were partitioned by the date of writing, with no key=value names",
                    "a late event lands under the wrong day, and no engine reads the folders as columns",
                    "partition by the event's date in UTC, Hive-style: event_date=.../event_type=.../",
                    "06",
                    List.of("Lesson06S3SinkTest#everyEventLandsExactlyOnceUnderItsEventDateAndTypeWithOneSchema",
                            "Lesson09ParquetLakeTest#hivePartitioningTurnsTheFoldersIntoColumnsThatAgreeWithTheRows",
                            "TopTracksTest#eventsPerTypePerHourByEventTimeInUtcEqualJavasCount"),
                    "./jbang lesson09, steps 5 and 6"),
            new Mistake("A flush() after every produced message",
                    "one network round trip per message: throughput limited by latency, batching and compression wasted",
                    "asynchronous sends with a callback, linger.ms and batch.size, compression, acks=all with idempotence; "
                            + "flush() once, at the end",
                    "04",
                    List.of(),
                    "no test (a timing, too machine-dependent to assert): ./jbang lesson04 times both ways, "
                            + "docs/benchmarks.md has the numbers, and ./jbang lesson10 times it again"),
            new Mistake("Two consumers called consumer.assign([...]) inside a loop over the partitions",
                    "each call replaces the whole assignment: only the last partition was read, and nothing reported the others",
                    "collect the partitions and assign() them once (or subscribe as a member of a group)",
                    "03",
                    List.of("AssignAllPartitionsTest#everyPartitionIsAssignedAndEveryMessageRead"),
                    "./jbang lesson03, step 8"),
            new Mistake("The consumer's error check compared an error code with a class",
                    "the check never fired: broken messages were neither reported nor kept",
                    "catch the parse failure per message, report it with its partition and offset, go on (a dead-letter topic in "
                            + "lesson 06)",
                    "05",
                    List.of("Lesson05SimpleConsumerTest#everyMalformedMessageIsReportedWithItsOffsetAndAReason",
                            "Lesson05SimpleConsumerTest#noMalformedMessageStopsTheLoopAndTheGroupCommitsToTheEnd",
                            "DeadLetterTest#malformedMessagesGoToTheDeadLetterTopicWithTheirBytesHeadersAndWhy"),
                    "./jbang lesson05"),
            new Mistake("The bucket was never created by the code that writes to it",
                    "the first run on a fresh MinIO fails (NoSuchBucket) until someone clicks it into existence",
                    "the writer checks bucketExists and makes it when missing",
                    "06",
                    List.of("Lesson06S3SinkTest#everyEventLandsExactlyOnceUnderItsEventDateAndTypeWithOneSchema",
                            "EnsureBucketTest#aMissingBucketIsCreatedOnceAndThenFound"),
                    "./jbang lesson00"));
}
