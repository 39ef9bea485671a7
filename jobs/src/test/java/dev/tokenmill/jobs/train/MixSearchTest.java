package dev.tokenmill.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RegMix end to end on tiny proxies: Europarl speeches and random letter strings as two sources, proxy runs on
 * Dirichlet mixtures, a fit judged on held-out runs, the chosen and natural mixtures trained, a ready mix step that
 * the recipe runner accepts, and a second run that trains nothing.
 */
class MixSearchTest {
    @TempDir
    Path tmp;

    @Test
    void searchesMixturesWritesAMixStepAndResumes() throws Exception {
        Path lake = tmp.resolve("lake");
        PretrainFixture.documents(lake);
        SplittableRandom random = new SplittableRandom(9);
        List<Row> noise = new ArrayList<>();
        for (int d = 0; d < 300; d++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 60; w++) {
                for (int c = 0, n = 2 + random.nextInt(6); c < n; c++) {
                    text.append((char) ('a' + random.nextInt(26)));
                }
                text.append(' ');
            }
            noise.add(RowFactory.create("n" + d, text.toString().trim()));
        }
        TestLake.spark()
                .createDataFrame(
                        noise, new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType))
                .write()
                .format("delta")
                .save(lake.resolve("docs/noise").toString());
        Path recipe = TestLake.write(
                tmp.resolve("tok.yaml"), "name: tok\nseed: 5\nstages:\n" + PretrainFixture.TOKENS_STAGES + """
                  - stage: tokenize
                    input: docs/noise
                    output: tokens/noise
                    params: {tokenizer: models/tok/t, seq_len: 64}
                """);
        assertEquals(0, TestLake.cli(lake, "run", recipe.toString()).code());
        Path spec = TestLake.write(tmp.resolve("regmix.yaml"), """
            name: regmix
            seed: 2
            sources: [tokens/t, tokens/noise]
            base: {layers: 1, d_model: 16, heads: 2, kv_heads: 1, seq_len: 16, micro_batch: 4, steps: 80, lr: 0.01,
                   warmup_steps: 8, eval_every: 0, checkpoint_every: 80, log_every: 80}
            runs: 8
            held_out_runs: 3
            eval: [tokens/t]
            eval_windows: 16
            regression: linear
            candidates: 20000
            top: 50
            """);
        TestLake.Run first = TestLake.cli(lake, "mix-search", spec.toString());
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().contains("8 runs, 0 finished earlier, 8 to run"), first.out());
        assertTrue(first.out().contains("runs 8 / 8 done"), first.out());
        assertTrue(first.out().contains("Spearman ρ"), first.out());
        assertTrue(first.out().contains("loss on tokens/t, trained: chosen"), first.out());

        Lake l = TestLake.lake(lake);
        var table = l.locate("sweeps/regmix");
        List<Row> rows = l.read(table, l.latestVersion(table)).collectAsList();
        assertEquals(10, rows.size());
        assertEquals(5, rows.stream().filter(r -> r.getAs("role").equals("fit")).count());
        assertEquals(
                3, rows.stream().filter(r -> r.getAs("role").equals("held-out")).count());
        Row chosen = rows.stream()
                .filter(r -> r.getAs("role").equals("chosen"))
                .findFirst()
                .orElseThrow();
        Map<String, Double> w = scala.jdk.javaapi.CollectionConverters.asJava(
                chosen.<scala.collection.Map<String, Double>>getAs("weights"));
        assertEquals(1.0, w.get("tokens/t") + w.get("tokens/noise"), 1e-9);
        // noise does not help predict Europarl: the search moves weight from it to the speeches
        Lineage lineage = l.lineageAt(table, l.latestVersion(table));
        @SuppressWarnings("unchecked")
        Map<String, Double> natural = (Map<String, Double>) lineage.config().get("natural_weights");
        assertTrue(w.get("tokens/t") > natural.get("tokens/t"), w + " vs natural " + natural + first.out());
        assertTrue(
                (double) lineage.config().get("chosen_loss")
                        < (double) lineage.config().get("natural_loss"),
                lineage.config().toString());

        // the mix step is ready: over the tables the sources were tokenized from, and the runner accepts it
        Path step = lake.resolve("sweeps/regmix.work/mix-step.yaml");
        String yaml = Files.readString(step);
        assertTrue(yaml.contains("table: docs/t,") && yaml.contains("table: docs/noise,"), yaml);
        Path mix = TestLake.write(tmp.resolve("mix.yaml"), "name: mix\nstages:\n" + yaml);
        TestLake.Run mixed = TestLake.cli(lake, "run", mix.toString());
        assertEquals(0, mixed.code(), mixed.err() + mixed.out());
        assertTrue(l.latestVersion(l.locate("mixes/regmix")) >= 0);

        TestLake.Run again = TestLake.cli(lake, "mix-search", spec.toString(), "--force");
        assertEquals(0, again.code(), again.err() + again.out());
        assertTrue(again.out().contains("8 runs, 8 finished earlier, 0 to run"), again.out());
        assertTrue(again.out().contains("2 runs, 2 finished earlier, 0 to run"), again.out());
    }
}
