//SOURCES ../../../lab/lake/LakeCheck.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Exercise 07.1 — reconcile the lake's rows with Kafka's offsets and the dead letters: gaps and duplicates.
 *
 * Every row of the lake carries the partition and offset it came from. The sink promises: every offset below its
 * group's committed offset is in the lake exactly once, or in the dead-letter topic. Check that promise from outside.
 * The data check (lab/lake/LakeCheck) reads Kafka and the lake and hands you, per partition, the span of offsets to
 * account for (from the log-start offset: older ones were deleted by retention, to the committed offset, exclusive),
 * the dead letters' source offsets, and how many rows carry each offset (lake.copies). A row count alone would say
 * that something is off; offsets say which rows.
 *
 * Check it: ./jbang course verify 07.1
 */
public final class Reconcile implements LakeCheck.Reconciler {
    @Override
    public LakeCheck.Reconciliation reconcile(Map<Integer, LakeCheck.Span> kafka, Map<Integer, Set<Long>> deadLetters, LakeCheck.Rows lake) {
        List<LakeCheck.Gap> gaps = new ArrayList<>();
        for (Map.Entry<Integer, LakeCheck.Span> e : new TreeMap<>(kafka).entrySet()) {
            int p = e.getKey();
            Set<Long> dead = deadLetters.getOrDefault(p, Set.of());
            long from = -1; // where the current run of missing offsets started, -1 when not in one
            // from the log-start offset: what retention deleted before the sink saw it can be nowhere
            for (long o = e.getValue().logStart(); o < e.getValue().committed(); o++) {
                boolean accounted = lake.copies(p, o) > 0 || dead.contains(o);
                if (!accounted && from < 0) {
                    from = o;
                } else if (accounted && from >= 0) {
                    gaps.add(new LakeCheck.Gap(p, from, o));
                    from = -1;
                }
            }
            if (from >= 0) {
                gaps.add(new LakeCheck.Gap(p, from, e.getValue().committed()));
            }
        }

        List<LakeCheck.Duplicate> duplicates = new ArrayList<>();
        for (int p : new TreeSet<>(lake.partitions())) {
            long from = -1;
            // anywhere in the lake, also above the committed offset: a second copy is never right
            for (long o = lake.first(p); o < lake.end(p); o++) {
                boolean twice = lake.copies(p, o) > 1;
                if (twice && from < 0) {
                    from = o;
                } else if (!twice && from >= 0) {
                    duplicates.add(new LakeCheck.Duplicate(p, from, o));
                    from = -1;
                }
            }
            if (from >= 0) {
                duplicates.add(new LakeCheck.Duplicate(p, from, lake.end(p)));
            }
        }
        return new LakeCheck.Reconciliation(gaps, duplicates);
    }
}
