import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Runs exercise tests the way CI does: {@code ./mvnw -Pexercises test -Dtest=...} against the learner's files,
 * then reads surefire's XML reports (target/exercises/surefire-reports/) and, when nothing ran, the compiler's
 * errors from Maven's output.
 */
final class CourseMaven {
    static final String REPORTS = "target/exercises/surefire-reports";
    static final String LOG = "target/exercises/course-verify.log";

    private CourseMaven() {}

    /** How one test method (or, with an empty name, the class' set-up) ended. */
    record Case(String name, String outcome, String type, String message, String trace) {
        boolean failed() {
            return outcome.equals("failure") || outcome.equals("error");
        }
    }

    /** One test class' report. */
    record Suite(String testClass, int tests, int failures, int errors, int skipped, List<Case> cases) {
        boolean passed() {
            return tests > 0 && failures == 0 && errors == 0 && skipped < tests;
        }

        int passing() {
            return tests - failures - errors - skipped;
        }
    }

    /** A compiler error: file (relative to the course), line, column, message (with its detail lines). */
    record CompileError(String file, int line, int column, String message) {}

    /** Everything one Maven run told: reports by test class, compiler errors, exit code, where the full output is. */
    record Run(Map<String, Suite> suites, List<CompileError> compileErrors, int exitCode, String logTail, Path log, long millis) {}

    /** Runs the tests; {@code ticker} hears the elapsed seconds while Maven works (for a progress line). */
    static Run run(Path root, List<String> testClasses, Map<String, String> env, List<String> extraArgs, LongConsumer ticker) {
        Path reports = root.resolve(REPORTS);
        Path log = root.resolve(LOG);
        try {
            Files.createDirectories(log.getParent());
            for (String test : testClasses) {
                Files.deleteIfExists(reports.resolve("TEST-" + test + ".xml"));
            }
        } catch (IOException e) {
            throw new CourseException("Cannot write to " + log.getParent() + ": " + e.getMessage());
        }
        List<String> command = new ArrayList<>(mavenCommand(root));
        command.addAll(List.of("-B", "-Pexercises", "test",
                "-Dtest=" + String.join(",", testClasses),
                // the whole stack trace, so a failure can be traced to a line of the learner's file
                "-DtrimStackTrace=false",
                // a learner's endless loop must not hang the runner forever
                "-Dsurefire.timeout=600"));
        command.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        if (!env.containsKey("JAVA_HOME")) {
            // the JDK this runner runs on (the one JBang picked), rather than whatever java comes first on the PATH
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        }
        long t0 = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new CourseException("Cannot start " + String.join(" ", command.subList(0, 2)) + ": " + e.getMessage()
                    + "\n  Check the Maven wrapper with `./jbang course doctor`.");
        }
        Thread stopper = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }, "course-stop-maven");
        Runtime.getRuntime().addShutdownHook(stopper);
        int exit;
        try {
            while (!process.waitFor(1, TimeUnit.SECONDS)) {
                ticker.accept((System.nanoTime() - t0) / 1_000_000_000L);
            }
            exit = process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            throw new CourseException("Interrupted while the tests ran.");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000L;
        String output = readLenient(log);
        Map<String, Suite> suites = new LinkedHashMap<>();
        for (String test : testClasses) {
            Path report = reports.resolve("TEST-" + test + ".xml");
            if (Files.exists(report)) {
                suites.put(test, parseReport(report));
            }
        }
        return new Run(suites, compileErrors(root, output), exit, tail(output, 25), log, millis);
    }

    /** ./mvnw (mvnw.cmd on Windows), called through its shell so a zip that lost the executable bit still works. */
    static List<String> mavenCommand(Path root) {
        if (isWindows()) {
            return List.of("cmd.exe", "/c", root.resolve("mvnw.cmd").toString());
        }
        return List.of("sh", root.resolve("mvnw").toString());
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    static Suite parseReport(Path report) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            Document doc = factory.newDocumentBuilder().parse(report.toFile());
            Element suite = doc.getDocumentElement();
            List<Case> cases = new ArrayList<>();
            NodeList testcases = suite.getElementsByTagName("testcase");
            for (int i = 0; i < testcases.getLength(); i++) {
                Element tc = (Element) testcases.item(i);
                String outcome = "passed";
                String type = "";
                String message = "";
                String trace = "";
                for (Node n = tc.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e && Set.of("failure", "error", "skipped").contains(e.getTagName())) {
                        outcome = e.getTagName();
                        type = e.getAttribute("type");
                        message = e.getAttribute("message");
                        trace = e.getTextContent();
                        break;
                    }
                }
                cases.add(new Case(tc.getAttribute("name"), outcome, type, message, trace));
            }
            return new Suite(suite.getAttribute("name"), intAttr(suite, "tests"), intAttr(suite, "failures"),
                    intAttr(suite, "errors"), intAttr(suite, "skipped"), cases);
        } catch (Exception e) {
            throw new CourseException("Cannot read the test report " + report + ": " + e.getMessage());
        }
    }

    private static int intAttr(Element e, String name) {
        String v = e.getAttribute(name);
        return v.isEmpty() ? 0 : Integer.parseInt(v);
    }

    // [ERROR] /path/to/File.java:[12,5] cannot find symbol        (Windows: C:\path\File.java)
    private static final Pattern COMPILE_ERROR = Pattern.compile("^\\[ERROR\\] (.+\\.java):\\[(\\d+),(\\d+)\\] (.*)$");

    static List<CompileError> compileErrors(Path root, String output) {
        // Maven prints each error twice (once without javac's detail lines): keep one per place, the fullest
        Map<String, CompileError> errors = new LinkedHashMap<>();
        List<String> lines = output.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = COMPILE_ERROR.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            StringBuilder message = new StringBuilder(m.group(4));
            // javac's detail lines ("  symbol: ...", "  location: ...") follow, indented
            for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("[ERROR]   "); j++) {
                message.append('\n').append(lines.get(j).substring("[ERROR] ".length()).strip());
            }
            CompileError error = new CompileError(relative(root, m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), message.toString());
            errors.merge(error.file() + ":" + error.line() + ":" + error.column(), error,
                    (a, b) -> b.message().length() > a.message().length() ? b : a);
        }
        return new ArrayList<>(errors.values());
    }

    static String relative(Path root, String file) {
        try {
            Path p = Path.of(file);
            if (p.isAbsolute() && p.normalize().startsWith(root.toAbsolutePath().normalize())) {
                return root.toAbsolutePath().normalize().relativize(p.normalize()).toString().replace('\\', '/');
            }
        } catch (RuntimeException e) {
            // not a path: keep it as printed
        }
        return file;
    }

    static String readLenient(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
