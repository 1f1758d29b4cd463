//COMPILE_OPTIONS -encoding UTF-8
/**
 * Marks a learner's edit in an exercise. An exercise compiles as shipped; each unfinished step throws this,
 * so its test fails with a message that points at the TODO instead of with a compile error.
 *
 * <pre>
 *   // TODO 06.4.1: store every object, then wait for the dead letters, then commit.
 *   Todo.todo("06.4", 1, "flush in the order that survives a crash");
 * </pre>
 * The exception carries the exercise id and step, and its first stack frame is the learner's line: the
 * course runner reads both from the exception itself, never from the source.
 */
public final class Todo {
    private Todo() {}

    /** Thrown by an unfinished TODO. */
    public static final class NotDoneException extends UnsupportedOperationException {
        private static final long serialVersionUID = 1L;
        private final String exercise;
        private final int step;
        private final String what;

        public NotDoneException(String exercise, int step, String message) {
            this(exercise, step, message, message);
        }

        public NotDoneException(String exercise, int step, String what, String message) {
            super(message);
            this.exercise = exercise;
            this.step = step;
            this.what = what;
        }

        /** The exercise, e.g. {@code "06.4"}. */
        public String exercise() {
            return exercise;
        }

        /** Which TODO in the exercise, from 1. */
        public int step() {
            return step;
        }

        /** What the learner is asked to do, e.g. {@code "flush in the order that survives a crash"}. */
        public String what() {
            return what;
        }

        /** {@code "06.4.1"}: what the exercise file's comment says ({@code // TODO 06.4.1: ...}). */
        public String id() {
            return exercise + "." + step;
        }
    }

    /**
     * @param exercise the exercise id, e.g. "06.4" (lesson 06, exercise 4)
     * @param step     which TODO in the exercise file, from 1
     * @param what     what the learner is asked to do
     */
    public static <T> T todo(String exercise, int step, String what) {
        String where = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()
                .map(f -> f.getFileName() + ":" + f.getLineNumber() + "; ").orElse(""));
        throw new NotDoneException(exercise, step, what, "TODO " + exercise + "." + step + " is not done yet: " + what
                + " (" + where + "stuck? ./jbang course hint " + exercise + ")");
    }
}
