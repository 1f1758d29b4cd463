//SOURCES ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exercise 12.1 — the checkpoint settings that make Flink's lake exactly-once.
 *
 * <p>Flink's file sink writes each Parquet file as an S3 multipart upload and completes the upload only when a
 * checkpoint that covers the file's rows is complete. A checkpoint also records where the Kafka source was. So
 * after a crash, a job restarted from its last checkpoint re-reads exactly the records of the files that were
 * never completed (and no reader ever saw). That holds only if checkpoints happen, and if they survive the crash.
 *
 * <p>Return the Flink settings (the keys of Flink's configuration, as in its config.yaml or {@code flink run -D})
 * for: a checkpoint every {@code interval}, exactly-once, stored in {@code checkpointDir}.
 * Check it: {@code ./jbang course verify 12.1}
 */
public final class CheckpointSettings {
    private CheckpointSettings() {}

    public static Map<String, String> exactlyOnce(Duration interval, String checkpointDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        // TODO 12.1.1: checkpoint every interval, exactly-once ("execution.checkpointing.interval" in ms, "execution.checkpointing.mode")
        Todo.todo("12.1", 1, "set execution.checkpointing.interval (e.g. \"2000 ms\") and execution.checkpointing.mode in exactlyOnce()");
        // TODO 12.1.2: store the checkpoints where a restarted job finds them ("execution.checkpointing.dir")
        Todo.todo("12.1", 2, "set execution.checkpointing.dir to checkpointDir in exactlyOnce()");
        return settings;
    }
}
