//COMPILE_OPTIONS -encoding UTF-8
/**
 * A lab problem a learner can fix: the message says what was tried and what to do next.
 * Lessons print it as is, without a stack trace.
 */
public class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
