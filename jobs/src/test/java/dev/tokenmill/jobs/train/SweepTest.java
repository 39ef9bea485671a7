package dev.tokenmill.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.lake.Lake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep of tiny proxy runs as Spark tasks: one row per run, deterministic, and a killed sweep resumes. */
class SweepTest {
    @TempDir
    Path tmp;

    @Test
    void runsAreSparkTasksRowsAreDeterministicAndAKilledSweepResumes() throws Exception {
        Path lake = tmp.resolve("lake");
        PretrainFixture.documents(lake);
        Path recipe = TestLake.write(
                tmp.resolve("tok.yaml"), "name: tok\nseed: 5\nstages:\n" + PretrainFixture.TOKENS_STAGES + """
                  - stage: tokenize
                    input: docs/t
                    output: tokens/u
                    params: {tokenizer: models/tok/t, seq_len: 32}
                """);
        assertEquals(0, TestLake.cli(lake, "run", recipe.toString()).code());
        Path spec = TestLake.write(tmp.resolve("ablate.yaml"), """
            name: ablate
            seed: 3
            seeds: 2
            base: {layers: 1, d_model: 16, heads: 2, kv_heads: 1, seq_len: 16, micro_batch: 2, steps: 3,
                   warmup_steps: 1, eval_every: 3, eval_samples: 4, checkpoint_every: 3, log_every: 3}
            runs:
              - {name: narrow, data: tokens/t}
              - {name: wide, data: tokens/t, d_model: 32, heads: 4, kv_heads: 2}
              - {name: mixed, mix: {tokens/t: 1, tokens/u: 3}, steps: 6}
            eval: [tokens/t]
            eval_windows: 8
            """);
        TestLake.Run first = TestLake.cli(lake, "sweep", spec.toString());
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().contains("6 runs, 0 finished earlier, 6 to run"), first.out());
        assertTrue(first.out().contains("beyond seed noise"), first.out());
        Lake l = TestLake.lake(lake);
        List<Row> rows = rows(l);
        assertEquals(6, rows.size());
        for (Row r : rows) {
            long steps = r.getAs("name").equals("mixed") ? 6 : 3;
            assertTrue(
                    (double) r.getAs("held_out_loss") > 0 && (long) r.getAs("tokens") == steps * 2 * 16, r.toString());
            Map<String, Double> eval = scala.jdk.javaapi.CollectionConverters.asJava(
                    r.<scala.collection.Map<String, Double>>getAs("eval"));
            assertTrue(eval.get("tokens/t") > 0, r.toString());
            // bits per byte of the same windows: at least a byte per token, so at most the loss in bits
            double bpb = scala.jdk.javaapi.CollectionConverters.asJava(
                            r.<scala.collection.Map<String, Double>>getAs("eval_bits_per_byte"))
                    .get("tokens/t");
            assertTrue(bpb > 0 && bpb < eval.get("tokens/t") / Math.log(2), r.toString());
            Map<String, Double> weights = scala.jdk.javaapi.CollectionConverters.asJava(
                    r.<scala.collection.Map<String, Double>>getAs("weights"));
            if (r.getAs("name").equals("mixed")) {
                assertEquals(Map.of("tokens/t", 0.25, "tokens/u", 0.75), weights);
                assertTrue(((String) r.getAs("data")).matches("tokens/t@0:1.0,tokens/u@0:3.0"), r.toString());
            } else {
                assertEquals(Map.of("tokens/t", 1.0), weights);
            }
        }
        // the mix run drew 13 windows (6 steps × 2, and 1 the trainer holds out) from both tables, no copy of either
        for (Path result :
                Files.list(lake.resolve("sweeps/ablate.work/results")).toList()) {
            var json = dev.tokenmill.jobs.util.Json.read(Files.readString(result));
            if (json.get("name").asText().equals("mixed")) {
                assertEquals(
                        13,
                        json.at("/mixture/tokens~1t/windows").asLong()
                                + json.at("/mixture/tokens~1u/windows").asLong());
                assertEquals(0.75, json.at("/mixture/tokens~1u/target_share").asDouble(), 1e-9);
            }
        }
        assertTrue(rows.stream()
                        .anyMatch(r -> r.getAs("name").equals("wide")
                                && (long) r.getAs("parameters") > rows.get(0).<Long>getAs("parameters"))
                || rows.get(0).getAs("name").equals("wide"));
        Map<String, Double> losses = losses(rows);

        // a killed sweep: one run's result is lost; the sweep trains only that run again and gets the same loss
        Path results = lake.resolve("sweeps/ablate.work/results");
        Path lost;
        try (Stream<Path> files = Files.list(results)) {
            lost = files.sorted().findFirst().orElseThrow();
        }
        Files.delete(lost);
        TestLake.Run resumed = TestLake.cli(lake, "sweep", spec.toString(), "--force");
        assertEquals(0, resumed.code(), resumed.err() + resumed.out());
        assertTrue(resumed.out().contains("6 runs, 5 finished earlier, 1 to run"), resumed.out());
        assertEquals(losses, losses(rows(l)), "the re-trained run ends where it did");

        TestLake.Run again = TestLake.cli(lake, "sweep", spec.toString());
        assertTrue(again.out().contains("up to date"), again.out());

        Path bad = TestLake.write(tmp.resolve("bad.yaml"), "name: bad\nruns: [{name: x, data: tokens/t, dp: 2}]\n");
        TestLake.Run refused = TestLake.cli(lake, "sweep", bad.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.errLine().contains("dp must be 1"), refused.errLine());
    }

    private static List<Row> rows(Lake l) {
        return l.read(l.locate("sweeps/ablate"), l.latestVersion(l.locate("sweeps/ablate")))
                .collectAsList();
    }

    private static Map<String, Double> losses(List<Row> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.getAs("run_id"), r -> r.getAs("held_out_loss")));
    }
}
