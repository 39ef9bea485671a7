package dev.tokenmill.jobs.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.util.Json;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest → clean → pii → langid → filter(gopher, repetition, c4, fineweb) in a recipe, on real Delta tables. */
class FilterRecipeTest {
    @TempDir
    Path tmp;

    private static final String PROSE_A = String.join(
            "\n",
            "The committee met on Tuesday morning to discuss the budget for the coming year.",
            "After a long debate, the members agreed that the decision should wait for more figures.",
            "The regional offices had been slow to respond to earlier requests for information.",
            "Several of them said that staffing levels and travel costs were hard to estimate with any confidence.",
            "A final vote is now expected at the next meeting, which will be held in the spring.");
    private static final String PROSE_B = String.join(
            "\n",
            "Rain fell steadily over the valley through the night and into the following day.",
            "Farmers who had waited weeks for the weather to change were relieved to see the fields turn dark.",
            "By the afternoon the river had risen to a level that worried the people living near its banks.",
            "The council opened the old school as a shelter and asked volunteers to bring blankets and food.",
            "Volunteers could write to help@valley-council.org or call +44 20 7946 0958 to offer a hand.",
            "Nobody was hurt, and by the end of the week the water had gone back to its usual course.");

    private static String jsonl(Map<String, String> docs) {
        StringBuilder sb = new StringBuilder();
        docs.forEach((id, text) -> {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("id", id);
            o.put("text", text);
            sb.append(o).append('\n');
        });
        return sb.toString();
    }

    /** The test documents, written as JSONL under tmp/in. */
    private void writeDocs() throws Exception {
        Map<String, String> docs = new java.util.LinkedHashMap<>();
        docs.put("good-a", PROSE_A);
        docs.put("good-b", PROSE_B);
        docs.put("short", "Too short to be a document at all.");
        docs.put("repetitive", (PROSE_A.lines().findFirst().orElseThrow() + "\n").repeat(12));
        docs.put("lorem", PROSE_B + "\nLorem ipsum dolor sit amet, consectetur adipiscing elit.");
        // UTF-8 read as cp1252, a zero-width space and a "enable JavaScript" line: clean repairs and removes them
        docs.put(
                "garbled",
                PROSE_A.replace("morning", "morning\u200B").replace("the budget", "the cafÃ© budget")
                        + "\nPlease enable JavaScript to view this page.");
        docs.put(
                "german",
                String.join(
                        "\n",
                        "Der Ausschuss trat am Dienstagmorgen zusammen, um über den Haushalt für das kommende Jahr zu beraten.",
                        "Nach einer langen Debatte einigten sich die Mitglieder darauf, dass die Entscheidung warten solle."));
        TestLake.write(tmp.resolve("in/docs.jsonl"), jsonl(docs));
    }

    @Test
    void everyPresetInARecipe() throws Exception {
        writeDocs();
        Path recipe = TestLake.write(tmp.resolve("q.yaml"), """
            name: quality
            stages:
              - stage: ingest
                source: q
                input: %s
                id_field: id
              - stage: clean
                input: raw/q
                output: clean/q
              - stage: pii
                input: clean/q
                output: pii/q
              - stage: langid
                input: pii/q
                output: lang/q
                params: {languages: [en], min_score: 0.8}
              - stage: filter
                input: lang/q
                output: filtered/q
                params:
                  filters: [gopher_quality, gopher_repetition, c4, fineweb]
            """.formatted(tmp.resolve("in")));
        Path lake = tmp.resolve("lake");
        TestLake.Run run = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("7 in, 6 kept, 1 rejected"), run.out());
        assertTrue(run.out().contains("6 in, 4 kept, 2 rejected"), run.out());

        Dataset<Row> kept = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("filtered/q").toString());
        List<String> columns = List.of(kept.columns());
        for (String signal : List.of(
                "gopher_words",
                "gopher_stop_words",
                "rep_dup_line_frac",
                "rep_top_2_gram_frac",
                "c4_sentences",
                "fineweb_line_punct_ratio",
                "fineweb_list_ratio")) {
            assertTrue(columns.contains(signal), signal + " in " + columns);
        }
        assertEquals(
                4,
                kept.filter("gopher_words is not null and fineweb_char_dup_ratio is not null")
                        .count());
        String lorem = kept.filter("id = 'lorem'").first().getAs("text");
        assertFalse(
                lorem.contains("Lorem"), "clean drops the lorem ipsum line before C4 would drop the page: " + lorem);
        String garbled = kept.filter("id = 'garbled'").first().getAs("text");
        assertTrue(garbled.contains("the café budget") && garbled.contains("Tuesday morning to"), garbled);
        assertFalse(garbled.contains("JavaScript") || garbled.contains("\u200B"), garbled);
        JsonNode cleanLineage = Json.read(
                        TestLake.cli(lake, "versions", "clean/q", "--json").out())
                .get(0)
                .get("lineage");
        assertEquals(
                1, cleanLineage.get("counters").get("mojibake_runs_repaired").asInt());
        assertEquals(1, cleanLineage.get("counters").get("zero_width_removed").asInt());
        assertEquals(
                1, cleanLineage.get("counters").get("javascript_lines_removed").asInt());
        Row b = kept.filter("id = 'good-b'").first();
        assertTrue(
                b.<String>getAs("text").contains("write to <EMAIL> or call <PHONE> to offer"), b.<String>getAs("text"));
        assertEquals(1, (int) b.<Integer>getAs("pii_email"));
        assertEquals(1, (int) b.<Integer>getAs("pii_phone"));
        assertEquals(0, (int) b.<Integer>getAs("pii_credit_card"));
        // re-threshold later with SQL, no recomputation
        kept.createOrReplaceTempView("kept");
        long longer = TestLake.spark()
                .sql("select count(*) from kept where gopher_words >= 90")
                .first()
                .getLong(0);
        assertEquals(kept.filter("gopher_words >= 90").count(), longer);

        Map<String, Row> rejected = new HashMap<>();
        for (Row r : TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("rejected/q").toString())
                .collectAsList()) {
            rejected.put(r.getAs("id"), r);
        }
        assertEquals("gopher_min_words", rejected.get("short").getAs("rule"));
        assertEquals(8.0, (double) rejected.get("short").<Double>getAs("value"));
        assertEquals(50.0, (double) rejected.get("short").<Double>getAs("threshold"));
        assertTrue(
                rejected.get("repetitive").<String>getAs("rule").startsWith("rep_"),
                rejected.get("repetitive").toString());
        assertEquals("filter", rejected.get("short").getAs("stage"));
        Row german = rejected.get("german");
        assertEquals("langid", german.getAs("stage"));
        assertEquals("language_not_allowed", german.getAs("rule"));
        assertEquals("de", Json.read(german.getAs("record")).get("lang").asText());
        assertEquals(4, kept.filter("lang = 'en' and lang_score >= 0.8").count());
        JsonNode record = Json.read(rejected.get("short").getAs("record"));
        assertTrue(record.has("gopher_words"), "signals measured before the drop are kept in the record: " + record);
        assertFalse(
                record.has("rep_dup_line_frac")
                        && !record.get("rep_dup_line_frac").isNull(),
                "filters after the dropping one did not run");

        JsonNode lineage = Json.read(
                        TestLake.cli(lake, "versions", "filtered/q", "--json").out())
                .get(0)
                .get("lineage");
        assertEquals(
                50.0,
                lineage.get("config")
                        .get("thresholds_in_force")
                        .get("gopher_quality")
                        .get("min_words")
                        .asDouble());
        assertEquals(
                0.1,
                lineage.get("config")
                        .get("thresholds_in_force")
                        .get("fineweb")
                        .get("max_char_dup_ratio")
                        .asDouble());
    }

    @Test
    void fusedRunMatchesTheStageByStageChain() throws Exception {
        writeDocs();
        String ingest = """
            name: quality
            stages:
              - stage: ingest
                source: q
                input: %s
                id_field: id
            """.formatted(tmp.resolve("in"));
        Path chain = TestLake.write(tmp.resolve("chain.yaml"), ingest + """
              - stage: clean
                input: raw/q
                output: clean/q
              - stage: pii
                input: clean/q
                output: pii/q
              - stage: langid
                input: pii/q
                output: lang/q
                params: {languages: [en], min_score: 0.8}
              - stage: filter
                input: lang/q
                output: filtered/q
            """.indent(0));
        Path fused = TestLake.write(tmp.resolve("fused.yaml"), ingest + """
              - stage: fused
                input: raw/q
                output: filtered/q
                params:
                  stages:
                    - stage: clean
                    - stage: pii
                    - stage: langid
                      params: {languages: [en], min_score: 0.8}
                    - stage: filter
            """.indent(0));
        Path chainLake = tmp.resolve("chain-lake");
        Path fusedLake = tmp.resolve("fused-lake");
        assertEquals(0, TestLake.cli(chainLake, "run", chain.toString()).code());
        TestLake.Run run = TestLake.cli(fusedLake, "run", fused.toString());
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(
                run.out().contains("clean+pii+langid+filter raw/q@0 → filtered/q@0: 7 in, 4 kept, 3 rejected"),
                run.out());

        String[] columns = {
            "id",
            "text",
            "pii_email",
            "lang",
            "lang_score",
            "gopher_words",
            "rep_dup_line_frac",
            "c4_sentences",
            "fineweb_line_punct_ratio"
        };
        Dataset<Row> a = TestLake.spark()
                .read()
                .format("delta")
                .load(chainLake.resolve("filtered/q").toString());
        Dataset<Row> b = TestLake.spark()
                .read()
                .format("delta")
                .load(fusedLake.resolve("filtered/q").toString());
        assertEquals(
                a.selectExpr(columns).orderBy("id").collectAsList(),
                b.selectExpr(columns).orderBy("id").collectAsList());
        assertEquals(List.of(a.columns()), List.of(b.columns()), "same output schema");
        String[] rejectedColumns = {"id", "stage", "rule", "value", "threshold", "text"};
        Dataset<Row> ra = TestLake.spark()
                .read()
                .format("delta")
                .load(chainLake.resolve("rejected/q").toString());
        Dataset<Row> rb = TestLake.spark()
                .read()
                .format("delta")
                .load(fusedLake.resolve("rejected/q").toString());
        assertEquals(
                ra.selectExpr(rejectedColumns).orderBy("id").collectAsList(),
                rb.selectExpr(rejectedColumns).orderBy("id").collectAsList());
        assertEquals(1, rb.filter("stage = 'langid' and id = 'german'").count());

        TestLake.Run again = TestLake.cli(fusedLake, "run", fused.toString());
        assertTrue(again.out().contains("filtered/q@0: up to date"), again.out());
        Path notRowWise = TestLake.write(tmp.resolve("bad-fused.yaml"), """
            name: bad
            stages:
              - stage: fused
                input: raw/q
                output: x/q
                params:
                  stages:
                    - stage: clean
                    - stage: score
                      params: {lm: models/lm/x.kn}
            """);
        TestLake.Run bad = TestLake.cli(fusedLake, "run", notRowWise.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.errLine().contains("stage 'score' cannot be fused"), bad.err());
    }

    /** A one-stage recipe: filter clean/q with these params (YAML lines under "params:"). */
    private Path filterRecipe(String name, String params) throws Exception {
        return TestLake.write(tmp.resolve(name), """
            name: bad
            stages:
              - stage: filter
                input: clean/q
                output: filtered/q
                params:
            """ + params.indent(6));
    }

    @Test
    void badFilterParametersAreRecipeErrors() throws Exception {
        TestLake.Run r = TestLake.cli(
                tmp.resolve("lake"),
                "run",
                filterRecipe("bad.yaml", "filters: [gopher_quality, c5]").toString());
        assertEquals(2, r.code());
        assertTrue(r.errLine().contains("unknown filter 'c5'"), r.err());
        TestLake.Run r2 = TestLake.cli(
                tmp.resolve("lake"),
                "run",
                filterRecipe("bad2.yaml", "filters: [gopher_quality]\nthresholds: {gopher_quality: {min_wrds: 3}}")
                        .toString());
        assertEquals(2, r2.code());
        assertTrue(r2.errLine().contains("unknown threshold 'min_wrds'"), r2.err());
    }
}
