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
        // TODO 07.3.1: when report.couldNotCheck() is not empty, the check did not run: 2, whatever the checks say.
        Todo.todo("07.3", 1, "return 2 when the check could not be made");
        // TODO 07.3.2: otherwise 0 when every check of report.checks() is ok, 1 when one is not.
        return Todo.<Integer>todo("07.3", 2, "return 1 when a check failed, 0 when all passed");
    }
}
