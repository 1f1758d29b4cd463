/** A problem the learner can fix: the message says what went wrong and what to do next (printed without a stack trace). */
class CourseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CourseException(String message) {
        super(message);
    }
}
