/**
 * Marks a learner's edit in an exercise. An exercise compiles as shipped; each unfinished step throws this,
 * so its test fails with a message that points at the TODO instead of with a compile error.
 */
public final class Todo {
    private Todo() {}

    /** Thrown by an unfinished TODO. */
    public static final class NotDoneException extends UnsupportedOperationException {
        public NotDoneException(String message) {
            super(message);
        }
    }

    /**
     * @param lesson the two-digit lesson number, e.g. "01"
     * @param step   which TODO in the exercise file, e.g. 1
     * @param what   what the learner is asked to do
     */
    public static <T> T todo(String lesson, int step, String what) {
        throw new NotDoneException("TODO " + lesson + "." + step + " is not done yet: " + what
                + " (exercises/" + lesson + "_*, look for 'TODO " + lesson + "." + step + "'; stuck? ./jbang course hint " + lesson + ")");
    }
}
