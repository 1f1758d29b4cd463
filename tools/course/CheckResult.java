import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one check of one exercise found, as the check JVM sends it to the runner (one JSON line): whether it
 * compiled, and how each of its test's checks ended. Plain records, so both sides read it with Jackson.
 */
record CheckResult(String exercise, String outcome, long compileMillis, long testMillis, List<Diagnostic> compileErrors,
                   List<Case> cases, String note) {

    /** How both sides write and read these records (a newer side may add fields). */
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static final String PASSED = "passed";
    static final String FAILED = "failed";
    static final String COMPILE_ERROR = "compile-error";
    /** The test ran nothing, or only skipped checks (e.g. no ClickHouse): not a pass. */
    static final String NOT_RUN = "not-run";
    /** The check itself went wrong (no such test, a timeout): {@link #note} says what. */
    static final String ERROR = "error";

    /**
     * What to check: exercise {@code exercise}'s files {@code files} in folder {@code dir}, with test {@code testClass}; for
     * learner {@code learner} (null or empty: none), whose namespace the test's names then take (LabConfig#name).
     */
    record Request(String exercise, String dir, List<String> files, String testClass, String testSource, int timeoutSeconds,
                   String learner) {}

    /** A compiler error: the file (absolute path), line and column (from 1), javac's message. */
    record Diagnostic(String file, long line, long column, String message) {}

    /** One check of the test ({@code method} empty: the test class' own set-up), and how it ended. */
    record Case(String method, String displayName, String status, Failure failure) {
        boolean failed() {
            return status.equals("failed");
        }
    }

    /**
     * Why a check failed: the exception's type and message, and, when a TODO stopped it, the TODO's exercise, step
     * and what to do ({@code Todo.NotDoneException}, found anywhere in the cause chain). {@code frames} are the
     * stack frames of the exception and its causes, outermost first; {@code causes} the causes' "Type: message".
     */
    record Failure(String type, String message, String todoExercise, int todoStep, String todoWhat,
                   List<Frame> frames, List<String> causes) {
        boolean isTodo() {
            return todoExercise != null;
        }

        String todoId() {
            return todoExercise + "." + todoStep;
        }
    }

    /** A stack frame: the file name only, as Java records it ({@code DescribeCluster.java}). */
    record Frame(String className, String method, String file, int line) {}

    boolean passed() {
        return outcome.equals(PASSED);
    }

    long passing() {
        return cases.stream().filter(c -> c.status().equals("passed")).count();
    }

    long failing() {
        return cases.stream().filter(Case::failed).count();
    }

    /** The first TODO that stopped a check, or null. */
    Failure firstTodo() {
        return cases.stream().filter(Case::failed).map(Case::failure).filter(f -> f != null && f.isTodo()).findFirst().orElse(null);
    }

    long millis() {
        return compileMillis + testMillis;
    }
}
