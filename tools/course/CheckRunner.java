import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Checks one exercise against the solved rest of the course, warm: the compiler, its view of the class path and the
 * JUnit Platform launcher are made once; each check compiles only the exercise's Java files and its test into a
 * fresh folder, and runs that test in a fresh class loader whose own classes (the exercise, its test, then the
 * prebuilt lab, solutions and test support) come before its parent's. Third-party jars stay in the long-lived
 * parent, so Kafka's client, JUnit and AssertJ stay loaded and compiled between checks.
 *
 * <p>A half-done exercise elsewhere never matters: only this exercise's files are compiled; every other class is
 * the prebuilt solution.
 */
final class CheckRunner implements AutoCloseable {
    /** The last check's printed output, in the work folder. */
    static final String OUTPUT = CheckBuild.CHECK_OUTPUT;
    private final List<Path> prebuilt;
    private final Path work;
    private final ClassLoader jars;
    private final JavaCompiler javac;
    private final StandardJavaFileManager files;
    private final Launcher launcher;
    private final PrintStream log;
    private int checks;

    /**
     * @param classpath the compile class path: third-party jars and the prebuilt folders
     * @param prebuilt  the prebuilt class folders (lab, solutions, test classes): the solved rest
     * @param jars      the long-lived loader that has the third-party jars (the check's parent)
     * @param work      a folder for the fresh class folders
     * @param log       where the tests' own output goes
     */
    CheckRunner(List<Path> classpath, List<Path> prebuilt, ClassLoader jars, Path work, PrintStream log) throws IOException {
        this.prebuilt = List.copyOf(prebuilt);
        this.work = work;
        this.jars = jars;
        this.log = log;
        this.javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("This Java (" + System.getProperty("java.home") + ") has no compiler:"
                    + " the course needs a JDK 17+, not a runtime. `./jbang course doctor` says more.");
        }
        this.files = javac.getStandardFileManager(null, Locale.ENGLISH, StandardCharsets.UTF_8);
        files.setLocationFromPaths(StandardLocation.CLASS_PATH, classpath);
        Files.createDirectories(work);
        removeLeftovers(work);
        this.launcher = LauncherFactory.create();
    }

    /** Checks one exercise; {@code properties} are set as system properties while its test runs (the lab). */
    CheckResult check(CheckResult.Request request, Map<String, String> properties) throws IOException {
        Path out = freshFolder();
        Path dir = Path.of(request.dir());
        List<Path> sources = new ArrayList<>();
        for (String f : request.files()) {
            if (f.endsWith(".java")) {
                sources.add(dir.resolve(f));
            }
        }
        long t0 = System.nanoTime();
        List<CheckResult.Diagnostic> errors = List.of();
        if (!sources.isEmpty()) {
            // the test compiles against this exercise (an SQL exercise's test is prebuilt, as is)
            sources.add(Path.of(request.testSource()));
            errors = compile(sources, out);
        }
        long compileMillis = (System.nanoTime() - t0) / 1_000_000;
        if (!errors.isEmpty()) {
            return new CheckResult(request.exercise(), CheckResult.COMPILE_ERROR, compileMillis, 0, errors, List.of(), null);
        }
        Map<String, String> props = new HashMap<>(properties);
        props.put("course.exercise", request.exercise());
        props.put("course.exercise.dir", dir.toAbsolutePath().toString());
        if (request.learner() != null && !request.learner().isEmpty()) {
            props.put("COURSE_LEARNER", request.learner()); // the test's topics, groups and prefixes: in the learner's namespace
        }
        long t1 = System.nanoTime();
        CheckResult tested = test(request, out, props);
        long testMillis = (System.nanoTime() - t1) / 1_000_000;
        return new CheckResult(request.exercise(), tested.outcome(), compileMillis, testMillis, List.of(), tested.cases(), tested.note());
    }

    private List<CheckResult.Diagnostic> compile(List<Path> sources, Path out) throws IOException {
        files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-encoding", "UTF-8", "--release", "17", "-proc:none", "-implicit:none", "-g",
                "-nowarn", "-Xlint:none", "-sourcepath", out.toString());
        boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
        List<CheckResult.Diagnostic> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                String file = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).toString();
                errors.add(new CheckResult.Diagnostic(file, d.getLineNumber(), d.getColumnNumber(), d.getMessage(Locale.ENGLISH)));
            }
        }
        if (!ok && errors.isEmpty()) {
            errors.add(new CheckResult.Diagnostic("", 0, 0, "the compiler failed without saying why"));
        }
        return errors;
    }

    private CheckResult test(CheckResult.Request request, Path out, Map<String, String> props) throws IOException {
        List<URL> urls = new ArrayList<>(List.of(out.toUri().toURL()));
        for (Path p : prebuilt) {
            urls.add(p.toUri().toURL());
        }
        CheckListener listener = new CheckListener();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Map<String, String> before = new HashMap<>();
        props.forEach((k, v) -> before.put(k, System.getProperty(k)));
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        try (ChildFirstLoader loader = new ChildFirstLoader(urls.toArray(URL[]::new), jars);
             PrintStream printed = new PrintStream(Files.newOutputStream(work.resolve(OUTPUT)), true, StandardCharsets.UTF_8)) {
            props.forEach(System::setProperty);
            // what the test and the learner's code print: kept per check, for the learner to read
            System.setOut(printed);
            System.setErr(printed);
            Thread runner = new Thread(() -> {
                try {
                    Class<?> test = Class.forName(request.testClass(), false, loader);
                    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(test)).build(), listener);
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "course-check-" + request.exercise());
            runner.setContextClassLoader(loader);
            runner.setDaemon(true);
            runner.start();
            runner.join(request.timeoutSeconds() * 1000L);
            if (runner.isAlive()) {
                runner.interrupt();
                return new CheckResult(request.exercise(), CheckResult.ERROR, 0, 0, List.of(), listener.cases(),
                        "the test did not end within " + request.timeoutSeconds() + " s (an endless loop, or a wait"
                                + " that never ends?)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CheckResult(request.exercise(), CheckResult.ERROR, 0, 0, List.of(), List.of(), "interrupted");
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
            log.println("[check] " + request.exercise() + " in " + request.dir());
            log.flush();
        }
        if (failed.get() instanceof ClassNotFoundException) {
            return new CheckResult(request.exercise(), CheckResult.ERROR, 0, 0, List.of(), List.of(),
                    "there is no test class " + request.testClass() + " (expected in " + request.testSource() + ")");
        }
        if (failed.get() != null) {
            return new CheckResult(request.exercise(), CheckResult.ERROR, 0, 0, List.of(), List.of(),
                    "the test could not run: " + failed.get());
        }
        List<CheckResult.Case> cases = listener.cases();
        boolean anyFailed = cases.stream().anyMatch(CheckResult.Case::failed);
        boolean anyPassed = cases.stream().anyMatch(c -> c.status().equals("passed"));
        String outcome = anyFailed ? CheckResult.FAILED : anyPassed ? CheckResult.PASSED : CheckResult.NOT_RUN;
        return new CheckResult(request.exercise(), outcome, 0, 0, List.of(), cases, listener.skipReason());
    }

    /** A new, empty folder for one check's classes; the previous ones are removed. */
    private Path freshFolder() throws IOException {
        Path out = work.resolve("check-" + ProcessHandle.current().pid() + "-" + (++checks));
        Path previous = work.resolve("check-" + ProcessHandle.current().pid() + "-" + (checks - 1));
        CheckBuild.deleteRecursively(previous);
        Files.createDirectories(out);
        return out;
    }

    /** Class folders left by check JVMs that ended without cleaning up (check-<pid>-<n>). */
    private static void removeLeftovers(Path work) throws IOException {
        try (var dirs = Files.list(work)) {
            for (Path d : dirs.toList()) {
                String[] parts = d.getFileName().toString().split("-");
                if (parts.length == 3 && parts[0].equals("check") && parts[1].matches("\\d+")
                        && !ProcessHandle.of(Long.parseLong(parts[1])).map(ProcessHandle::isAlive).orElse(false)) {
                    CheckBuild.deleteRecursively(d);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        files.close();
        CheckBuild.deleteRecursively(work.resolve("check-" + ProcessHandle.current().pid() + "-" + checks));
    }

    /** Its own classes first (the exercise and its test, then the prebuilt ones), then the parent's (the jars). */
    static final class ChildFirstLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        ChildFirstLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && !name.startsWith("java.") && !name.startsWith("javax.") && !name.startsWith("jdk.")
                        && !name.startsWith("sun.")) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notOurs) {
                        // a third-party or JDK class: the parent's
                    }
                }
                if (c == null) {
                    c = getParent().loadClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public URL getResource(String name) {
            URL own = findResource(name);
            return own != null ? own : super.getResource(name);
        }
    }
}
