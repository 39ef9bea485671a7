package dev.tokenmill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/tokenmill run} killed with SIGKILL in the middle of a stage, then started again: the second run must
 * finish with every table exactly right — no document lost, none written twice, no duplicated rejects.
 */
class KillResumeTest {
    private static final int DOCS = 40_000;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "killed during {0}")
    @ValueSource(strings = {"ingest", "normalize"})
    void killedMidStageThenRerunFinishesExactly(String stage) throws Exception {
        Path recipe = E2e.ingestNormalizeRecipe(tmp, "kill-test", DOCS, 4, 100);
        Path lake = tmp.resolve("lake");
        List<String> cmd = List.of(
                E2e.home().resolve("bin/tokenmill").toString(),
                "--lake",
                lake.toString(),
                "--master",
                "local[2]",
                "run",
                recipe.toString());

        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CountDownLatch started = new CountDownLatch(1);
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    if (line.contains(stage + " ") && line.endsWith("...")) {
                        started.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
        });
        reader.start();
        assertTrue(started.await(3, TimeUnit.MINUTES), "stage never started:\n" + seen);
        Thread.sleep(stage.equals("ingest") ? 4000 : 1500);
        p.destroyForcibly();
        p.waitFor();
        reader.join();
        assertTrue(
                !seen.toString().contains("[2/2] normalize raw/k@0 → clean/k@0:"),
                "the kill should land before the last stage finished:\n" + seen);

        E2e.Result rerun = E2e.exec(cmd, Map.of(), Duration.ofMinutes(5));
        assertEquals(0, rerun.code(), seen + "\n--- rerun ---\n" + rerun.out());
        if (stage.equals("ingest")) {
            assertTrue(rerun.out().contains("40,000 added"), "the killed ingest left nothing behind:\n" + rerun.out());
        } else {
            assertTrue(rerun.out().contains("raw/k@0: up to date"), rerun.out());
        }
        assertTrue(rerun.out().contains("40,000 in, 36,000 kept, 4,000 rejected"), rerun.out());

        int rejected = DOCS / 10;
        Dataset<Row> raw =
                E2e.spark().read().format("delta").load(lake.resolve("raw/k").toString());
        Dataset<Row> clean =
                E2e.spark().read().format("delta").load(lake.resolve("clean/k").toString());
        Dataset<Row> rejects = E2e.spark()
                .read()
                .format("delta")
                .load(lake.resolve("rejected/k").toString());
        assertEquals(DOCS, raw.count());
        assertEquals(DOCS, raw.select("id").distinct().count());
        assertEquals(DOCS - rejected, clean.count());
        assertEquals(DOCS - rejected, clean.select("id").distinct().count());
        assertEquals(rejected, rejects.count(), "rejected rows are replaced, never appended twice");
        assertEquals(0, clean.join(rejects, "id").count(), "a document is either kept or rejected");
    }
}
