package dev.tokenmill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A standalone cluster of the tests' own through {@code bin/tokenmill cluster}: a master on a free port and one-core
 * workers, with its state (pid files, logs, the workers' work folders) under a test's folder.
 */
final class TestCluster {
    final String master;
    final Path stateDir;
    private final List<String> options;
    /** What {@code cluster start} printed. */
    String started;

    private TestCluster(String master, Path stateDir, List<String> options) {
        this.master = master;
        this.stateDir = stateDir;
        this.options = options;
    }

    static TestCluster start(Path stateDir, int workers, String memory) throws Exception {
        int port = E2e.freePort();
        TestCluster c =
                new TestCluster("spark://127.0.0.1:" + port, stateDir, clusterOptions(stateDir, port, workers, memory));
        E2e.Result started = E2e.exec(c.launcher("cluster", "start"), Map.of(), Duration.ofMinutes(3));
        assertEquals(0, started.code(), started.out());
        c.started = started.out();
        return c;
    }

    E2e.Result run(String... verb) throws Exception {
        return E2e.exec(launcher(verb), Map.of(), Duration.ofMinutes(1));
    }

    void stop() throws Exception {
        E2e.Result stopped = run("cluster", "stop");
        assertEquals(0, stopped.code(), stopped.out());
    }

    private List<String> launcher(String... verb) {
        List<String> cmd =
                new ArrayList<>(List.of(E2e.home().resolve("bin/tokenmill").toString()));
        cmd.addAll(List.of(verb));
        cmd.addAll(options);
        return cmd;
    }

    /**
     * {@code bin/tokenmill cluster} options for a cluster of its own: a state folder, free ports for the master and
     * the web UIs, {@code workers} one-core workers with {@code memory} each.
     */
    private static List<String> clusterOptions(Path stateDir, int masterPort, int workers, String memory)
            throws java.io.IOException {
        return List.of(
                "--state-dir",
                stateDir.toString(),
                "--port",
                String.valueOf(masterPort),
                "--webui-port",
                String.valueOf(E2e.freePort()),
                "--worker-webui-port",
                String.valueOf(E2e.freePort()),
                "--workers",
                String.valueOf(workers),
                "--worker-cores",
                "1",
                "--worker-memory",
                memory);
    }
}
