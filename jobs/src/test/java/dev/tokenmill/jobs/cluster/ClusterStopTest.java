package dev.tokenmill.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster stop} kills only the Spark master/worker it started, never whatever process now has a stale pid. */
class ClusterStopTest {
    @TempDir
    Path tmp;

    @Test
    void aStalePidFileNamingAnotherProcessLeavesItAlone() throws Exception {
        Process other = new ProcessBuilder("sleep", "120").start();
        try {
            Files.writeString(tmp.resolve("master.pid"), other.pid() + "\n");
            Files.writeString(tmp.resolve("worker.pid"), other.pid() + "\n" + Instant.EPOCH + "\n");
            TestLake.Run stop = TestLake.cli("cluster", "stop", "--state-dir", tmp.toString());
            assertEquals(0, stop.code(), stop.err());
            assertTrue(
                    stop.out().contains("names process " + other.pid() + ", which is no longer the Spark master")
                            && stop.out().contains("cluster was not running"),
                    stop.out());
            assertTrue(other.isAlive(), "the unrelated process was not killed");
            assertTrue(Files.notExists(tmp.resolve("master.pid")) && Files.notExists(tmp.resolve("worker.pid")));
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void recognisesAProcessByItsArgumentsAndStartTime() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "120").start();
        try {
            ProcessHandle h = sleeper.toHandle();
            Optional<Instant> started = h.info().startInstant();
            assertTrue(LocalCluster.isOurs(h, "120", started), "same argument, same start: ours");
            assertTrue(!LocalCluster.isOurs(h, "org.apache.spark.deploy.master.Master", started), "another program");
            assertTrue(!LocalCluster.isOurs(h, "120", Optional.of(Instant.EPOCH)), "another start time: a reused pid");
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
