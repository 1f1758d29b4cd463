import java.nio.file.Path;

/** Prints what ChdbBridge.missing says for a course folder: a test runs it in a JVM whose PATH has no Node.js. */
final class ChdbBridgeMissing {
    private ChdbBridgeMissing() {}

    public static void main(String[] args) {
        System.out.println(ChdbBridge.missing(Path.of(args[0])));
    }
}
