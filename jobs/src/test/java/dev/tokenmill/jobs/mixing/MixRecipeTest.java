package dev.tokenmill.jobs.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mix step on three real Delta sources: proportions, epoch caps, determinism, curriculum, phases; decontamination. */
class MixRecipeTest {
    @TempDir
    static Path tmp;

    static Path lake;

    private static final String PLANTED =
            "Which of the following best explains why the northern lights are more often seen "
                    + "near the poles than near the equator during periods of strong solar activity";

    @BeforeAll
    static void sources() {
        lake = tmp.resolve("lake");
        write("docs/web", 900, "web", 1);
        write("docs/books", 400, "book", 2);
        write("docs/code", 60, "code", 3);
    }

    static void write(String table, int n, String prefix, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int words = r.nextInt(20, 200);
            for (int w = 0; w < words; w++) {
                sb.append(prefix).append(r.nextInt(1000)).append(' ');
            }
            if (prefix.equals("web") && i % 300 == 7) {
                sb.append(" Quiz: ")
                        .append(PLANTED.toUpperCase().replace(" ", "   "))
                        .append("?!");
            }
            rows.add(RowFactory.create(
                    prefix + "-" + i, sb.toString().trim(), i % 3 == 0 ? "fr" : "en", r.nextDouble()));
        }
        TestLake.spark()
                .createDataFrame(
                        rows,
                        new StructType()
                                .add("id", DataTypes.StringType)
                                .add("text", DataTypes.StringType)
                                .add("lang", DataTypes.StringType)
                                .add("quality_score", DataTypes.DoubleType))
                .write()
                .format("delta")
                .save(lake.resolve(table).toString());
    }

    static TestLake.Run run(String yaml, String... extra) throws Exception {
        Path recipe = TestLake.write(tmp.resolve("r" + System.nanoTime() + ".yaml"), yaml);
        List<String> args = new ArrayList<>(List.of("run", recipe.toString()));
        args.addAll(List.of(extra));
        TestLake.Run run = TestLake.cli(lake, args.toArray(String[]::new));
        assertEquals(0, run.code(), run.err() + run.out());
        return run;
    }

    @SuppressWarnings("unchecked")
    static List<java.util.Map<String, Object>> report(String table) throws Exception {
        var delta = io.delta.tables.DeltaTable.forPath(
                TestLake.spark(), lake.resolve(table).toString());
        String meta = delta.history(1).select("userMetadata").first().getString(0);
        var config = (java.util.Map<String, Object>)
                Json.MAPPER.readValue(meta, java.util.Map.class).get("config");
        return (List<java.util.Map<String, Object>>) config.get("mix");
    }

    @Test
    void proportionsMatchTheWeightsAndRunsAreIdentical() throws Exception {
        String yaml = """
            name: mix
            seed: 7
            stages:
              - stage: mix
                output: mixes/m
                params:
                  sources:
                    - {table: docs/web, weight: 0.5}
                    - {table: docs/books, weight: 0.3}
                    - {table: docs/code, weight: 0.2, max_epochs: 10}
                  unit: chars
                  target_scale: 8
            """;
        TestLake.Run first = run(yaml);
        assertTrue(first.out().contains("docs/code"), first.out());
        List<java.util.Map<String, Object>> mix = report("mixes/m");
        assertEquals(3, mix.size());
        for (var row : mix) {
            double target = ((Number) row.get("target_share")).doubleValue();
            double realised = ((Number) row.get("realised_share")).doubleValue();
            assertEquals(target, realised, 0.01, row.toString());
        }
        var code = mix.stream()
                .filter(r -> r.get("source").equals("docs/code"))
                .findFirst()
                .orElseThrow();
        assertTrue(((Number) code.get("epochs")).doubleValue() > 1, "the small source is upsampled: " + code);
        List<Row> a = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("mixes/m").toString())
                .orderBy("id")
                .collectAsList();
        run(yaml, "--force");
        List<Row> b = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("mixes/m").toString())
                .orderBy("id")
                .collectAsList();
        assertEquals(a, b, "same recipe, inputs and seed: the same table");
        TestLake.Run rep = TestLake.cli(lake, "mix-report", "mixes/m");
        assertEquals(0, rep.code(), rep.err());
        assertTrue(rep.out().contains("realised") && rep.out().contains("docs/books"), rep.out());

        // a changed weight changes only what it must: a source with a larger budget keeps every document it had
        // (plus more), one with a smaller budget keeps a subset; the same documents keep their ids
        run(yaml.replace("weight: 0.5}", "weight: 0.4}")
                .replace("weight: 0.2, max_epochs: 10}", "weight: 0.3, max_epochs: 10}"));
        var v1 = TestLake.spark()
                .read()
                .format("delta")
                .option("versionAsOf", 1)
                .load(lake.resolve("mixes/m").toString());
        var v2 = TestLake.spark()
                .read()
                .format("delta")
                .option("versionAsOf", 2)
                .load(lake.resolve("mixes/m").toString());
        assertEquals(
                0,
                v1.where("source = 'docs/code'")
                        .select("id")
                        .except(v2.select("id"))
                        .count(),
                "code grew: nothing lost");
        assertEquals(
                0,
                v2.where("source = 'docs/web'")
                        .select("id")
                        .except(v1.select("id"))
                        .count(),
                "web shrank: nothing new");
        assertTrue(v2.where("source = 'docs/code'").count()
                > v1.where("source = 'docs/code'").count());
        TestLake.Run diff = TestLake.cli(lake, "diff", "mixes/m", "1", "2");
        assertEquals(0, diff.code(), diff.err());
        assertTrue(
                diff.out().toLowerCase().contains("added")
                        && diff.out().toLowerCase().contains("removed"),
                diff.out());
    }

    @Test
    void epochCapsBindAndTheRestIsRedistributed() throws Exception {
        run("""
            name: capped
            stages:
              - stage: mix
                output: mixes/capped
                params:
                  sources:
                    - {table: docs/web, weight: 1}
                    - {table: docs/code, weight: 1, max_epochs: 2}
                  unit: documents
                  target: 1000
            """);
        var mix = report("mixes/capped");
        var code = mix.stream()
                .filter(r -> r.get("source").equals("docs/code"))
                .findFirst()
                .orElseThrow();
        assertEquals(2.0, ((Number) code.get("epochs")).doubleValue(), 1e-9, code.toString());
        assertEquals(Boolean.TRUE, code.get("capped"));
        var web = mix.stream()
                .filter(r -> r.get("source").equals("docs/web"))
                .findFirst()
                .orElseThrow();
        assertEquals(880, ((Number) web.get("realised")).doubleValue(), 1.0, "1,000 − 2 × 60 from web");
        long maxCopies = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("mixes/capped").toString())
                .groupBy("source_id")
                .count()
                .agg(org.apache.spark.sql.functions.max("count"))
                .first()
                .getLong(0);
        assertEquals(2, maxCopies);
    }

    @Test
    void curriculumPhasesBalanceAndDecontamination() throws Exception {
        Path eval = tmp.resolve("eval");
        Files.createDirectories(eval);
        Files.writeString(
                eval.resolve("quiz.jsonl"), "{\"question\": \"" + PLANTED + "?\", \"answer\": \"magnetic field\"}\n");
        TestLake.Run r = run("""
            name: curriculum
            stages:
              - stage: decontaminate
                input: docs/web
                output: clean/web
                params: {eval: %s}
              - stage: mix
                output: mixes/c
                params:
                  sources:
                    - {table: clean/web, weight: 0.7}
                    - {table: docs/books, weight: 0.3}
                  unit: chars
                  target_scale: 1.0
                  balance_by: lang
                  order_by: quality_score desc
                  phases:
                    - {name: main, fraction: 0.8}
                    - {name: anneal, fraction: 0.2, weights: {docs/books: 1, clean/web: 0}}
            """.formatted(eval));
        // the three planted documents are rejected with the benchmark named, nothing else
        var rejected = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("rejected/web").toString());
        assertEquals(3, rejected.count(), r.out());
        assertEquals(
                3,
                rejected.where("rule = 'benchmark-overlap' and detail like 'benchmark=quiz;%'")
                        .count());
        assertTrue(r.out().contains("contaminated documents per benchmark: quiz=3"), r.out());
        // phases: the anneal phase is books only, and comes after main in id order
        var mix = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("mixes/c").toString());
        assertEquals(0, mix.where("phase = 'anneal' and source = 'clean/web'").count());
        List<Row> ordered = mix.orderBy("id").select("phase", "quality_score").collectAsList();
        int firstAnneal = -1;
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).getString(0).equals("anneal") && firstAnneal < 0) {
                firstAnneal = i;
            }
            if (firstAnneal >= 0) {
                assertEquals("anneal", ordered.get(i).getString(0));
            }
        }
        assertTrue(firstAnneal > 0);
        for (int i = 1; i < firstAnneal; i++) {
            assertTrue(
                    ordered.get(i - 1).getDouble(1) >= ordered.get(i).getDouble(1), "curriculum: quality descending");
        }
        // balanced by lang within each source: en and fr strata get equal planned shares
        var rows = report("mixes/c");
        var web = rows.stream()
                .filter(x -> x.get("phase").equals("main") && x.get("source").equals("clean/web"))
                .toList();
        assertEquals(2, web.size());
        assertEquals(
                ((Number) web.get(0).get("target_share")).doubleValue(),
                ((Number) web.get(1).get("target_share")).doubleValue(),
                1e-12);
    }
}
