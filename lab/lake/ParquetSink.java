//SOURCES ParquetSinkEngine.java SinkRules.java
//COMPILE_OPTIONS -encoding UTF-8

/**
 * Lesson 06's sink: the engine (lab/lake/ParquetSinkEngine.java: read, batch, store, commit, retries,
 * Ctrl-C) with the five parts written in exercises 06.1-06.5 (when to cut a batch, the folder, the name, the flush
 * order, the dead letter). Lessons 06 and 09, the benchmarks and the tests make their sinks here.
 *
 * <p>The five parts are the classes of {@code solutions/06_s3_sink/} or {@code exercises/06_s3_sink/}, whichever the
 * build compiles (Maven's {@code course.code}; a JBang script lists the solutions' files next to this one). Lesson 06
 * runs it ({@code ./jbang lesson06}).
 */
public class ParquetSink {
    /**
     * The sink's consumer group. One lake, one group: a second group would write every record again under other batch
     * boundaries, i.e. duplicates (lesson 07's check finds them).
     */
    public static final String DEFAULT_GROUP = "music-events-parquet-sink";

    private ParquetSink() {}

    /** The five parts of exercises 06.1-06.5. */
    public static SinkRules rules() {
        return new SinkRules(new FlushTrigger(), new HivePath(), new ObjectName(), new FlushOrder(), new DeadLetter());
    }

    /** A sink with these options and the five parts; {@code run()} it. */
    public static ParquetSinkEngine create(LabConfig lab, ParquetSinkEngine.Options options) {
        return new ParquetSinkEngine(lab, options, rules());
    }
}
