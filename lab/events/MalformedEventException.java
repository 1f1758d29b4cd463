//COMPILE_OPTIONS -encoding UTF-8
/** A message that is not a music event: the reason says what is wrong with it, in a learner's words. */
public class MalformedEventException extends Exception {
    public MalformedEventException(String reason) {
        super(reason);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
