package dev.tokenmill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code bin/tokenmill run}s of one recipe on one lake at the same time. Delta's optimistic concurrency lets
 * one commit of each conflicting pair through; the other run must stop with one line naming the table (not Delta's
 * internal advice or a stack trace), and the tables must hold exactly what one run alone would write.
 */
class ConcurrentRunsTest {
    private static final int DOCS = 20_000;

    @TempDir
    Path tmp;

    @Test
    void twoRunsOnOneLake() throws Exception {
        Path recipe = E2e.ingestNormalizeRecipe(tmp, "concurrent", DOCS, 2, 300);
        Path lake = tmp.resolve("lake");
        List<String> cmd = List.of(
                E2e.home().resolve("bin/tokenmill").toString(),
                "--lake",
                lake.toString(),
                "--master",
                "local[1]",
                "run",
                recipe.toString());
        List<CompletableFuture<E2e.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return E2e.exec(cmd, Map.of(), Duration.ofMinutes(5));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<E2e.Result> f : runs) {
            E2e.Result r = f.get();
            String out = r.out();
            assertTrue(r.code() == 0 || r.code() == 1, out);
            assertTrue(!out.contains("\tat ") && !out.contains("docs.delta.io") && !out.contains("Exception:"), out);
            if (r.code() == 1) {
                List<String> errors =
                        out.lines().filter(l -> l.startsWith("tokenmill:")).toList();
                assertEquals(1, errors.size(), out);
                assertTrue(
                        errors.get(0).contains("another run committed to ")
                                && errors.get(0).contains("run this again"),
                        out);
            }
        }

        E2e.Result after = E2e.exec(cmd, Map.of(), Duration.ofMinutes(5));
        assertEquals(0, after.code(), after.out());
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
        assertEquals(DOCS, clean.count() + rejects.count(), "every document kept or rejected once");
        assertEquals(clean.count(), clean.select("id").distinct().count());
        assertEquals(0, clean.join(rejects, "id").count());
    }
}
