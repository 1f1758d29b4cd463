//SOURCES ../../../lab/lake/LakeCheck.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8

/**
 * Exercise 07.3 — an exit code that gates a pipeline: 0 good, 1 bad data, 2 could not check.
 *
 * The original data-quality script printed its counts and always exited 0: a scheduler running it after the sink
 * could not tell a good night from a broken one. A pipeline step reads the exit code, and needs three answers: the
 * data is good (0: go on), the data is bad (1: stop, someone must look at the lake), the check could not be made
 * (2: S3 or Kafka away, a group that never committed; retry later, the data may be fine). The data check's
 * report (lab/lake/LakeCheck.Report) has both: couldNotCheck() and checks().
 *
 * Check it: ./jbang course verify 07.3
 */
public final class ExitCode {
    private ExitCode() {}

    public static int of(LakeCheck.Report report) {
        // could not check comes first: a check that did not run says nothing about the data
        if (!report.couldNotCheck().isEmpty()) {
            return 2;
        }
        return report.checks().stream().allMatch(LakeCheck.Check::ok) ? 0 : 1;
    }
}
