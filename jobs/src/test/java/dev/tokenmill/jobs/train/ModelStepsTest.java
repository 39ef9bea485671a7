package dev.tokenmill.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.train.Metrics;
import dev.tokenmill.train.ckpt.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model's own steps after pretrain in one recipe: eval (table, held-out, task) and generate (synthetic data). */
class ModelStepsTest {
    @TempDir
    Path tmp;

    @Test
    void evalAndGenerateStepsUseTheTrainedRun() throws Exception {
        Path lake = tmp.resolve("lake");
        PretrainFixture.documents(lake);
        var spark = TestLake.spark();
        spark.read()
                .format("delta")
                .load(lake.resolve("docs/t").toString())
                .orderBy("id")
                .limit(40)
                .withColumn("half", functions.pmod(functions.hash(functions.col("id")), functions.lit(2)))
                .write()
                .format("delta")
                .save(lake.resolve("docs/g").toString());
        spark.createDataFrame(
                        List.of(
                                RowFactory.create("t1", "the Commission"),
                                RowFactory.create("t2", "human rights"),
                                RowFactory.create("t3", "word ".repeat(60))),
                        new StructType().add("id", DataTypes.StringType).add("topic", DataTypes.StringType))
                .write()
                .format("delta")
                .save(lake.resolve("topics/t").toString());
        Path task = TestLake.write(tmp.resolve("next.jsonl"), """
            {"context": "Madam President, I would like to", "choices": ["thank the rapporteur.", "the the the.", "of and to.", "President Madam."], "label": 0}
            {"context": "The Commission", "choices": ["has proposed a directive.", "and and.", "Commission the.", "to to to."], "label": 0}
            {"context": "We must", "choices": ["of.", "support this report.", "the.", "and."], "label": 1}
            {"context": "Thank you,", "choices": ["Mr President.", "report the.", "of of.", "Madam is."], "label": 0}
            """);
        String generate = """
              - stage: generate
                input: topics/t
                output: %s
                params: {checkpoint: runs/t, template: "A speech on {topic}:", samples_per_prompt: 2, max_new_tokens: 8,
                         temperature: 0.9, top_k: 50, batch_size: %d}
            """;
        Path recipe = TestLake.write(
                tmp.resolve("model.yaml"),
                """
            name: model
            seed: 5
            stages:
            """ + PretrainFixture.TOKENS_STAGES + """
              - stage: pretrain
                input: tokens/t
                output: runs/t
                params: {layers: 2, d_model: 32, heads: 4, kv_heads: 2, seq_len: 32, micro_batch: 4, steps: 8,
                         warmup_steps: 2, lr: 0.01, eval_every: 4, eval_samples: 16, checkpoint_every: 4}
              - stage: eval
                input: docs/g
                output: evals/t
                params: {checkpoint: runs/t, all_checkpoints: true, group_by: [half], tasks: [%s]}
            """.formatted(task) + generate.formatted("synthetic/t", 4)
                        + generate.formatted("synthetic/u", 1) + """
              - stage: dedup-exact
                input: synthetic/t
                output: synthetic-dedup/t
            """);
        TestLake.Run first = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, first.code(), first.err() + first.out());

        // every checkpoint carries the run's tokenizer
        Path run = lake.resolve("runs/t");
        for (String step : List.of("step-00000004", "step-00000008")) {
            assertTrue(Files.exists(Checkpoints.root(run).resolve(step).resolve("tokenizer.json")), step);
        }

        // eval: the held-out loss of each checkpoint is the trainer's; groups add up to the whole table
        Lake l = TestLake.lake(lake);
        List<Row> evals = l.read(l.locate("evals/t"), l.latestVersion(l.locate("evals/t")))
                .collectAsList();
        Map<Long, Double> trainerEval = Metrics.read(run).stream()
                .filter(n -> n.has("eval_loss"))
                .collect(Collectors.toMap(
                        n -> n.get("step").asLong(), n -> n.get("eval_loss").asDouble()));
        for (long step : List.of(4L, 8L)) {
            Row heldOut = only(evals, step, "held_out");
            assertEquals(trainerEval.get(step), heldOut.getAs("loss"), 1e-4 * trainerEval.get(step));
            assertEquals(16L, (long) heldOut.getAs("documents"));
            List<Row> text = evals.stream()
                    .filter(r ->
                            (long) r.getAs("step") == step && r.getAs("kind").equals("text"))
                    .toList();
            assertEquals(3, text.size(), text.toString());
            Row all = text.stream()
                    .filter(r -> "(all)".equals(r.getAs("half")))
                    .findFirst()
                    .orElseThrow();
            double nll = text.stream()
                    .filter(r -> r != all)
                    .mapToDouble(r -> (double) r.getAs("loss") * (long) r.getAs("tokens"))
                    .sum();
            assertEquals((double) all.getAs("loss") * (long) all.getAs("tokens"), nll, 1e-6 * nll);
            assertEquals(40L, (long) all.getAs("documents"));
            assertEquals(
                    (double) all.getAs("loss") * (long) all.getAs("tokens") / (long) all.getAs("bytes") / Math.log(2),
                    all.getAs("bits_per_byte"),
                    1e-9);
            assertEquals(Math.exp(all.getAs("loss")), all.getAs("perplexity"), 1e-9);
            Row t = only(evals, step, "task");
            assertEquals("task:next", t.getAs("dataset"));
            assertEquals(0.25, t.getAs("chance"), 1e-12);
            double acc = t.getAs("acc");
            assertTrue(acc >= 0 && acc <= 1 && (acc * 4) == Math.rint(acc * 4), "acc " + acc);
        }
        assertTrue(((long) only(evals, 8, "text").getAs("tokens")) > 0);

        // generate: two documents per topic, each row with its prompt, checkpoint, step, settings and stream
        List<Row> synthetic = rows(l, "synthetic/t");
        assertEquals(6, synthetic.size());
        Row t1 = synthetic.stream()
                .filter(r -> r.getAs("id").equals("t1-0"))
                .findFirst()
                .orElseThrow();
        assertEquals("A speech on the Commission:", t1.getAs("prompt"));
        assertEquals("t1", t1.getAs("prompt_id"));
        assertEquals(8L, (long) t1.getAs("step"));
        assertEquals("runs/t", t1.getAs("checkpoint"));
        assertTrue(((String) t1.getAs("sampling")).contains("\"top_k\":50"), (String) t1.getAs("sampling"));
        assertTrue((int) t1.getAs("tokens") <= 8 && (int) t1.getAs("tokens") > 0);
        // a prompt that does not fit the window with max_new_tokens is kept with its reason, not dropped
        for (Row r : synthetic) {
            if (r.getAs("prompt_id").equals("t3")) {
                assertEquals("prompt_too_long", r.getAs("finish_reason"));
                assertEquals("", r.getAs("text"));
            }
        }
        // same seed, other batch size: the same documents
        assertEquals(texts(synthetic), texts(rows(l, "synthetic/u")));
        assertTrue(l.latestLineage(l.locate("synthetic/t")).config().toString().contains("state_sha256"));
        assertTrue(Files.exists(lake.resolve("synthetic-dedup/t/_delta_log")));

        // nothing changed: both steps are up to date
        TestLake.Run again = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, again.code(), again.err() + again.out());
        assertTrue(again.out().contains("→ evals/t@0: up to date"), again.out());
        assertTrue(again.out().contains("→ synthetic/t@0: up to date"), again.out());

        // the verb: one checkpoint, a one-line error for a bad column or a missing run
        TestLake.Run verb = TestLake.cli(lake, "eval", "runs/t", "--table", "docs/g", "--group-by", "half");
        assertEquals(0, verb.code(), verb.err() + verb.out());
        assertTrue(verb.out().contains("held-out:tokens/t@"), verb.out());
        TestLake.Run filtered = TestLake.cli(
                lake,
                "eval",
                "runs/t",
                "--table",
                "docs/g",
                "--where",
                "half = 0",
                "--no-held-out",
                "--output",
                "evals/half");
        assertEquals(0, filtered.code(), filtered.err() + filtered.out());
        Row half = rows(l, "evals/half").get(0);
        assertEquals("docs/g@0 where half = 0", half.getAs("dataset"));
        assertTrue((long) half.getAs("documents") < 40 && (long) half.getAs("documents") > 0);
        TestLake.Run badColumn = TestLake.cli(lake, "eval", "runs/t", "--table", "docs/g", "--group-by", "nope");
        assertEquals(2, badColumn.code(), badColumn.err());
        assertTrue(badColumn.errLine().contains("group_by column 'nope'"), badColumn.errLine());
        TestLake.Run noRun = TestLake.cli(lake, "eval", "runs/none");
        assertEquals(2, noRun.code());
        assertTrue(noRun.errLine().contains("no run or checkpoint"), noRun.errLine());
    }

    private static Row only(List<Row> rows, long step, String kind) {
        List<Row> r = rows.stream()
                .filter(x -> (long) x.getAs("step") == step
                        && x.getAs("kind").equals(kind)
                        && (!kind.equals("text") || "(all)".equals(x.getAs("half"))))
                .toList();
        assertEquals(1, r.size(), rows.toString());
        return r.get(0);
    }

    private static List<Row> rows(Lake l, String table) {
        return l.read(l.locate(table), l.latestVersion(l.locate(table))).collectAsList();
    }

    private static Map<String, String> texts(List<Row> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.getAs("id"), r -> r.getAs("text")));
    }
}
