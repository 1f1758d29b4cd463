import java.time.Duration;

/**
 * Lesson 06's sink as a process of its own, for FaultSinkKillTest: that test kills it hard (SIGKILL, no shutdown hook,
 * nothing flushed) and starts it again. Endpoints come from the environment like every lesson
 * ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_CLIENT_PROPERTIES}, {@code S3_*}).
 *
 *   java -cp <test classpath> SinkProcess <topic> <group> <batchSize> <stopWhenIdleSeconds>
 */
public final class SinkProcess {
    private SinkProcess() {}

    public static void main(String[] args) {
        LabConfig lab = LabConfig.fromEnvironment();
        ParquetSinkEngine.Options options = ParquetSinkEngine.Options.defaults(args[0], args[1])
                .batchSize(Integer.parseInt(args[2]))
                .flushInterval(Duration.ofSeconds(1))
                .stopWhenIdle(Duration.ofSeconds(Long.parseLong(args[3])))
                .retryFor(Duration.ofSeconds(30))
                .progressEvery(Duration.ofSeconds(1))
                .log(line -> System.out.println(line));
        ParquetSinkEngine.Stats s = ParquetSink.create(lab, options).run();
        System.out.printf("STOPPED records=%d rows=%d files=%d%n", s.records.get(), s.rows.get(), s.files.get());
    }
}
