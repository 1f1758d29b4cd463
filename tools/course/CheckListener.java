import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Hears how each check of a test ends and keeps what the runner shows: the status and, for a failure, the
 * exception, its causes and frames, and the TODO that stopped it. The TODO comes from the exception itself
 * ({@code Todo.NotDoneException}: its exercise, step and what to do), never from the exercise's source.
 */
final class CheckListener implements TestExecutionListener {
    private static final int MAX_FRAMES = 60;
    private final List<CheckResult.Case> cases = Collections.synchronizedList(new ArrayList<>());
    private volatile String skipReason;

    List<CheckResult.Case> cases() {
        synchronized (cases) {
            return List.copyOf(cases);
        }
    }

    /** Why checks were skipped (e.g. no ClickHouse), or null. */
    String skipReason() {
        return skipReason;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            cases.add(new CheckResult.Case(method(id), id.getDisplayName(), "skipped", null));
        }
        skipReason = reason;
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        boolean container = !id.isTest();
        String method = container ? "" : method(id);
        switch (result.getStatus()) {
            case SUCCESSFUL -> {
                if (!container) { // a class' or the engine's set-up only matters when it fails
                    cases.add(new CheckResult.Case(method, id.getDisplayName(), "passed", null));
                }
            }
            case ABORTED -> {
                skipReason = result.getThrowable().map(Throwable::getMessage).orElse("skipped");
                cases.add(new CheckResult.Case(method, id.getDisplayName(), "skipped", null));
            }
            case FAILED -> cases.add(new CheckResult.Case(method, id.getDisplayName(), "failed",
                    result.getThrowable().map(CheckListener::failure).orElse(null)));
        }
    }

    private static String method(TestIdentifier id) {
        return id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName()).orElse("");
    }

    /** The failure as the runner shows it: the outermost exception, its causes, and the TODO anywhere in the chain. */
    static CheckResult.Failure failure(Throwable thrown) {
        Throwable todo = null;
        List<CheckResult.Frame> frames = new ArrayList<>();
        List<String> causes = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
            if (todo == null && t.getClass().getName().endsWith("Todo$NotDoneException")) {
                todo = t;
            }
            if (t != thrown) {
                causes.add(t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            }
            for (StackTraceElement e : t.getStackTrace()) {
                if (frames.size() >= MAX_FRAMES) {
                    break;
                }
                frames.add(new CheckResult.Frame(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber()));
            }
        }
        if (todo != null) {
            // its own frames first: the frame after Todo.todo is the learner's line
            List<CheckResult.Frame> own = new ArrayList<>();
            for (StackTraceElement e : todo.getStackTrace()) {
                own.add(new CheckResult.Frame(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber()));
            }
            own.addAll(frames);
            frames = own.subList(0, Math.min(own.size(), MAX_FRAMES * 2));
            return new CheckResult.Failure(todo.getClass().getName(), todo.getMessage(), (String) call(todo, "exercise"),
                    (Integer) call(todo, "step"), (String) call(todo, "what"), List.copyOf(frames), causes);
        }
        return new CheckResult.Failure(thrown.getClass().getName(), thrown.getMessage(), null, 0, null, List.copyOf(frames), causes);
    }

    /** Todo.NotDoneException's accessors, by name: the check's class loader defined it, not ours. */
    private static Object call(Throwable t, String accessor) {
        try {
            Method m = t.getClass().getMethod(accessor);
            return m.invoke(t);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return accessor.equals("step") ? 0 : null;
        }
    }
}
