import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Pulls the images the test lab will start (when Docker answers) before the first test class runs, outside every
 * {@code @Timeout}: a first pull takes minutes and would otherwise fail whichever test happened to start the lab.
 * Registered for every test class by JUnit's extension auto-detection (src/test/resources: junit-platform.properties
 * and META-INF/services/org.junit.jupiter.api.extension.Extension). Without Docker it only asks once whether Docker answers.
 */
public final class TestLabImages implements BeforeAllCallback {
    private static boolean done;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (TestLabImages.class) {
            if (done) {
                return;
            }
            done = true;
        }
        TestLab.pullImages();
    }
}
