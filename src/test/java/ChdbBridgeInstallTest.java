import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean clone has no tools/chdb/node_modules: the lab installs the bridge itself from the lock file, once, even when
 * two processes ask at the same moment (a test run and `./jbang lab up`), saying what it runs while npm works.
 */
class ChdbBridgeInstallTest {

    @Test
    void aCleanCloneInstallsTheBridgeOnceWhenTwoAskAtOnce(@TempDir Path course) throws Exception {
        String missing = ChdbBridge.missing(Path.of(""));
        Assumptions.assumeTrue(missing == null, () -> "the bridge cannot install itself here: " + missing);
        Path home = Files.createDirectories(ChdbBridge.home(course));
        for (String file : List.of("bridge.js", "package.json", "package-lock.json")) {
            Files.copy(ChdbBridge.home(Path.of("")).resolve(file), home.resolve(file));
        }
        assertThat(ChdbBridge.installed(course)).as("installed before anything ran").isFalse();
        ConcurrentLinkedQueue<String> progress = new ConcurrentLinkedQueue<>();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> asks = two.invokeAll(List.of(() -> ChdbBridge.ensureInstalled(course, progress::add),
                    () -> ChdbBridge.ensureInstalled(course, progress::add)));
            assertThat(asks.get(0).get() ^ asks.get(1).get()).as("exactly one of the two ran npm").isTrue();
        } finally {
            two.shutdownNow();
        }
        assertThat(ChdbBridge.installed(course)).as("installed afterwards").isTrue();
        assertThat(progress).as("what the learner saw").hasSize(2);
        assertThat(progress.peek()).as("the progress line names the command").contains("npm ci --prefix tools/chdb");
        try (ChdbBridge bridge = ChdbBridge.start(course, 0, null, TestLab.config(), line -> { });
             ClickHouse ch = ClickHouse.connect(TestLab.config().withClickhouse(bridge.url(), "installed bridge"))) {
            assertThat(ch.scalar("SELECT 'installed'")).as("the freshly installed bridge answers").isEqualTo("installed");
        }
    }
}
