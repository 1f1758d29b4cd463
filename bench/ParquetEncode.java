///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.slf4j:slf4j-simple:2.0.17
//SOURCES ../lab/events/EventParquet.java ../lab/events/Clickstream.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import java.util.ArrayList;
import java.util.List;

/**
 * What the sink's Parquet encoding costs on one thread, without Kafka or S3: a batch of BATCH_SIZE generated events is
 * grouped by type as the sink groups it (one object per type), and each group is written as one file in memory
 * (EventParquet.file). A file has a fixed cost (writer, column writers, footer) on top of its rows, so the cost per
 * record falls as BATCH_SIZE grows. Not a test: a measurement (docs/benchmarks.md).
 *
 *   ./jbang bench/ParquetEncode.java [--records 200000]
 */
class ParquetEncode {
    public static void main(String[] args) {
        int records = args.length == 2 && args[0].equals("--records") ? Integer.parseInt(args[1]) : 200_000;
        System.out.printf("Parquet encoding on one thread, %,d generated events per BATCH_SIZE, 3 rounds after 3 unmeasured%n%n", records);
        System.out.println("| BATCH_SIZE | files | per record | per file | bytes per record |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int batch : new int[] {1_000, 10_000, 50_000}) {
            List<EventParquet.Rows> files = groups(records, batch);
            double best = Double.MAX_VALUE;
            long bytes = 0;
            for (int round = 0; round < 6; round++) {
                long t0 = System.nanoTime();
                bytes = 0;
                for (EventParquet.Rows rows : files) {
                    bytes += EventParquet.file(rows).size();
                }
                if (round >= 3) { // the first rounds are the JIT's
                    best = Math.min(best, (System.nanoTime() - t0) / 1e3);
                }
            }
            System.out.printf("| %,d | %,d | %.2f us | %.0f us | %.0f |%n", batch, files.size(), best / records, best / files.size(),
                    bytes / (double) records);
        }
    }

    /** The sink's objects for {@code records} events cut into batches of {@code batch}: one Rows per (batch, type). */
    static List<EventParquet.Rows> groups(int records, int batch) {
        Clickstream stream = new Clickstream(42);
        List<EventParquet.Rows> files = new ArrayList<>();
        for (int start = 0; start < records; start += batch) {
            EventParquet.Rows[] byType = new EventParquet.Rows[EventType.values().length + 1];
            for (int offset = start; offset < Math.min(records, start + batch); offset++) {
                MusicEvent e = stream.next();
                if (byType[e.type().id] == null) {
                    byType[e.type().id] = new EventParquet.Rows();
                    files.add(byType[e.type().id]);
                }
                byType[e.type().id].add(e, 0, offset);
            }
        }
        return files;
    }
}
