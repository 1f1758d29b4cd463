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
            // TODO 07.1.1: walk the offsets from e.getValue().logStart() to e.getValue().committed() (exclusive). An
            //  offset is accounted for when lake.copies(p, o) > 0 or dead.contains(o). Add one new LakeCheck.Gap(p, from,
            //  to) per run of consecutive offsets that are not (to exclusive): 7 and 8 missing -> Gap(p, 7, 9).
            Todo.todo("07.1", 1, "find the runs of offsets below the committed one that are neither in the lake nor dead letters");
        }

        List<LakeCheck.Duplicate> duplicates = new ArrayList<>();
        for (int p : new TreeSet<>(lake.partitions())) {
            // TODO 07.1.2: walk the lake's offsets of p, lake.first(p) to lake.end(p) (exclusive), above the committed
            //  offset too: add one new LakeCheck.Duplicate(p, from, to) per run of offsets with lake.copies(p, o) > 1.
            Todo.todo("07.1", 2, "find the runs of offsets that are in the lake more than once");
        }
        return new LakeCheck.Reconciliation(gaps, duplicates);
    }
}
