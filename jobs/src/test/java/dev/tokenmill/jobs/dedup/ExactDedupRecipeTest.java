package dev.tokenmill.jobs.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dedup-exact in a recipe on a real Delta table: folding options, survivor choice, rejected rows, re-runs. */
class ExactDedupRecipeTest {
    @TempDir
    Path tmp;

    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("text", DataTypes.StringType)
            .add("quality_score", DataTypes.DoubleType);

    private Path lakeWith(List<Row> rows) {
        Path lake = tmp.resolve("lake");
        TestLake.spark()
                .createDataFrame(rows, SCHEMA)
                .write()
                .format("delta")
                .mode("overwrite")
                .save(lake.resolve("docs/t").toString());
        return lake;
    }

    private static final List<Row> DOCS = List.of(
            RowFactory.create("a1", "The council met on Tuesday.", 0.2),
            RowFactory.create("a2", "the council met on tuesday", 0.9),
            RowFactory.create("a3", "The  council\nmet on Tuesday!", null),
            RowFactory.create("b1", "Rain fell over the valley.", 0.5),
            RowFactory.create("b2", "Rain fell over the valley.", 0.5),
            RowFactory.create("c1", "A different text entirely.", 0.1));

    private Path recipe(String output, String params) throws Exception {
        return TestLake.write(
                tmp.resolve(output.replace('/', '-') + ".yaml"),
                """
            name: dedup
            stages:
              - stage: dedup-exact
                input: docs/t
                output: %s
            """.formatted(output) + (params.isEmpty() ? "" : "    params: " + params + "\n"));
    }

    @Test
    void keepsTheBestScoredCopyOfEachGroup() throws Exception {
        Path lake = lakeWith(DOCS);
        TestLake.Run run = TestLake.cli(lake, "run", recipe("deduped/t", "").toString());
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("6 in, 3 kept, 3 rejected {exact-duplicate=3}"), run.out());
        Dataset<Row> kept = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("deduped/t").toString());
        // a2 has the highest quality_score of its group; b1/b2 tie on score, so the lower id wins
        assertEquals(
                List.of("a2", "b1", "c1"),
                kept.select("id").orderBy("id").as(Encoders.STRING()).collectAsList());
        assertEquals(3, (int) kept.filter("id = 'a2'").first().<Integer>getAs("dup_count"));
        assertEquals(1, (int) kept.filter("id = 'c1'").first().<Integer>getAs("dup_count"));
        Map<String, Row> rejected = new HashMap<>();
        for (Row r : TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("rejected/t").toString())
                .collectAsList()) {
            rejected.put(r.getAs("id"), r);
        }
        assertEquals(
                List.of("a1", "a3", "b2"), rejected.keySet().stream().sorted().toList());
        assertEquals("kept_id=a2", rejected.get("a1").getAs("detail"));
        assertEquals("kept_id=a2", rejected.get("a3").getAs("detail"));
        assertEquals("kept_id=b1", rejected.get("b2").getAs("detail"));
        assertEquals(3.0, (double) rejected.get("a3").<Double>getAs("value"));
        assertEquals("dedup-exact", rejected.get("a3").getAs("stage"));
        assertEquals(
                "The  council\nmet on Tuesday!", rejected.get("a3").getAs("text"), "rejected rows keep their text");

        TestLake.Run again = TestLake.cli(lake, "run", recipe("deduped/t", "").toString());
        assertTrue(again.out().contains("up to date"), again.out());
    }

    @Test
    void foldingIsConfigurable() throws Exception {
        Path lake = lakeWith(DOCS);
        TestLake.Run run = TestLake.cli(
                lake,
                "run",
                recipe("strict/t", "{fold_case: false, drop_punctuation: false, fold_whitespace: false}")
                        .toString());
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("6 in, 5 kept, 1 rejected {exact-duplicate=1}"), run.out());
    }

    @Test
    void withoutAQualityScoreTheLowestIdSurvives() throws Exception {
        Path lake = tmp.resolve("lake2");
        TestLake.spark()
                .createDataFrame(DOCS, SCHEMA)
                .drop("quality_score")
                .write()
                .format("delta")
                .save(lake.resolve("docs/t").toString());
        assertEquals(
                0, TestLake.cli(lake, "run", recipe("deduped/t", "").toString()).code());
        Dataset<Row> kept = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("deduped/t").toString());
        assertEquals(
                List.of("a1", "b1", "c1"),
                kept.select("id").orderBy("id").as(Encoders.STRING()).collectAsList());
    }
}
