package dev.tokenmill.jobs.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.util.Json;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspection verbs print the same thing whether Delta Kernel or Spark reads the lake: tables of our stages (with
 * lineage, rejected rows) and a table of every column type, several files, several versions and a deletion vector.
 */
class InspectReadersTest {
    @TempDir
    static Path tmp;

    static Path lake;

    @BeforeAll
    static void build() throws Exception {
        SparkSession spark = TestLake.spark();
        lake = tmp.resolve("lake");
        StringBuilder docs = new StringBuilder();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 300; i++) {
            StringBuilder text = new StringBuilder();
            int words = i % 50 == 0 ? 0 : i % 10 == 1 ? 80 : r.nextInt(1, 60);
            for (int w = 0; w < words; w++) {
                text.append(w == 0 ? "" : " ")
                        .append(i % 7 == 0 ? "naïve😀" : "word")
                        .append(r.nextInt(100));
            }
            docs.append(Json.write(Map.of("text", text.toString(), "lang", i % 3 == 0 ? "fr" : "en")))
                    .append('\n');
            for (int copy = 0; i % 10 == 1 && copy < i % 4; copy++) { // near duplicates: the last word edited
                docs.append(Json.write(Map.of("text", text + " edit" + copy, "lang", "en")))
                        .append('\n');
            }
        }
        TestLake.write(tmp.resolve("in/docs.jsonl"), docs.toString());
        Path recipe = TestLake.write(tmp.resolve("recipe.yaml"), """
            name: readers
            seed: 3
            stages:
              - stage: ingest
                source: docs
                input: %s
              - stage: normalize
                input: raw/docs
                output: clean/docs
              - stage: dedup-fuzzy
                input: clean/docs
                output: deduped/docs
                params: {threshold: 0.7, index: dedup/index, clusters: dedup/clusters}
            """.formatted(tmp.resolve("in")));
        TestLake.Run run = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, run.code(), run.err());

        // every column type, four files, three versions, a delete recorded as a deletion vector
        StructType schema = new StructType()
                .add("id", DataTypes.StringType)
                .add("n", DataTypes.LongType)
                .add("i", DataTypes.IntegerType)
                .add("x", DataTypes.DoubleType)
                .add("f", DataTypes.FloatType)
                .add("ok", DataTypes.BooleanType)
                .add("d", DataTypes.createDecimalType(10, 3))
                .add("day", DataTypes.DateType)
                .add("at", DataTypes.TimestampType)
                .add("tags", DataTypes.createArrayType(DataTypes.StringType))
                .add("counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
                .add("pos", new StructType().add("a", DataTypes.IntegerType).add("b", DataTypes.StringType))
                .add("raw", DataTypes.BinaryType)
                .add("source", DataTypes.StringType)
                .add("text", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            rows.add(RowFactory.create(
                    "t" + k,
                    k % 9 == 0 ? null : (long) k * 1_000_003L,
                    k - 100,
                    k % 17 == 0 ? Double.NaN : k / 7.0,
                    k / 3.0f,
                    k % 2 == 0,
                    new BigDecimal(k).movePointLeft(2),
                    k % 8 == 0
                            ? null
                            : Date.valueOf(java.time.LocalDate.of(2026, 1, 1).plusDays(k)),
                    new Timestamp(1_780_000_000_000L + k * 61_001L),
                    k % 5 == 0
                            ? null
                            : scala.jdk.javaapi.CollectionConverters.asScala(List.of("a" + k, "b"))
                                    .toSeq(),
                    scala.jdk.javaapi.CollectionConverters.asScala(Map.of("k" + (k % 4), (long) k))
                            .toMap(scala.$less$colon$less$.MODULE$.refl()),
                    k % 6 == 0 ? null : RowFactory.create(k, k % 4 == 0 ? null : "s" + k),
                    new byte[] {(byte) k, 1, 2},
                    k % 4 == 0 ? null : "src" + (k % 3),
                    k % 11 == 0 ? null : "t€xt " + "z".repeat(k % 13)));
        }
        String types = lake.resolve("misc/types").toString();
        spark.createDataFrame(rows.subList(0, 120), schema)
                .repartition(3)
                .write()
                .format("delta")
                .option("delta.enableDeletionVectors", "true")
                .save(types);
        spark.createDataFrame(rows.subList(120, 200), schema)
                .coalesce(1)
                .write()
                .format("delta")
                .mode("append")
                .save(types);
        spark.sql("DELETE FROM delta.`" + types + "` WHERE i % 10 = 3");
    }

    private static String both(String... args) {
        List<String> kernel = new ArrayList<>(List.of("--reader", "kernel"));
        kernel.addAll(List.of(args));
        List<String> spark = new ArrayList<>(List.of("--reader", "spark"));
        spark.addAll(List.of(args));
        TestLake.Run k = TestLake.cli(lake, kernel.toArray(String[]::new));
        TestLake.Run s = TestLake.cli(lake, spark.toArray(String[]::new));
        assertEquals(0, s.code(), String.join(" ", args) + " (spark): " + s.err());
        assertEquals(0, k.code(), String.join(" ", args) + " (kernel): " + k.err());
        assertEquals(s.out(), k.out(), String.join(" ", args));
        return k.out();
    }

    @Test
    void metadataVerbs() {
        assertTrue(both("tables", "--json").contains("misc/types"));
        both("tables");
        for (String t : List.of("raw/docs", "clean/docs", "quarantine/docs", "misc/types")) {
            assertTrue(Json.read(both("versions", t, "--json")).size() >= 1, t);
            both("versions", t);
        }
        assertEquals(3, Json.read(both("versions", "misc/types", "--json")).size());
        both("lineage", "clean/docs", "--json");
        both("lineage", "clean/docs@0");
    }

    @Test
    void rowsInTheSameOrderWithTheSameValues() {
        assertEquals(20, Json.read(both("show", "misc/types", "--json")).size());
        int all = Json.read(both("show", "misc/types", "--json", "--limit", "1000"))
                .size();
        assertEquals(190, all, "the deletion vector's rows are gone");
        both("show", "misc/types@1", "--json", "--limit", "7");
        both("show", "misc/types", "--limit", "5");
        both("show", "clean/docs", "--json", "--limit", "50", "--columns", "id,text");
        both("show", "quarantine/docs", "--json");
        both("show", "misc/types", "--json", "--limit", "0");
    }

    @Test
    void simpleFiltersAgreeWithSpark() {
        for (String where : List.of(
                "source = 'src1'",
                "source != 'src1' or source is null",
                "n > 5000000 and ok = true",
                "x >= 10 or x < 2.5",
                "x = 'NaN'",
                "f < 3.4",
                "d <= 0.5 and d > 0.25",
                "i in (-100, 0, 3, 99) or i not in (1, 2)",
                "text < 't€xt zz' and text > 't'",
                "not (id = 't3' or id = 't4') and (tags is not null)",
                "ok and n is null",
                "n = 1.5",
                "n = 2000006.0",
                "I > 90")) {
            both("show", "misc/types", "--json", "--limit", "500", "--where", where);
        }
        both("show", "clean/docs", "--json", "--limit", "500", "--where", "text > 'word5' and id != 'x'");
    }

    @Test
    void richerFiltersGoToSparkAndSaySo() {
        TestLake.Run k =
                TestLake.cli(lake, "--reader", "kernel", "show", "misc/types", "--json", "--where", "length(text) > 8");
        assertEquals(0, k.code(), k.err());
        assertTrue(k.err().contains("only Spark evaluates"), k.err());
        TestLake.Run s =
                TestLake.cli(lake, "--reader", "spark", "show", "misc/types", "--json", "--where", "length(text) > 8");
        assertEquals(s.out(), k.out());
    }

    @Test
    void statsAreExactAndAgree() {
        for (String t : List.of("raw/docs", "clean/docs", "quarantine/docs", "misc/types", "misc/types@0")) {
            String out = both("stats", t, "--json");
            var stats = Json.read(out);
            assertEquals(
                    stats.get("rows").asLong(),
                    stats.path("distinct_ids").asLong(stats.get("rows").asLong()));
        }
        both("stats", "clean/docs");
    }

    @Test
    void dedupReportAgrees() {
        var report = Json.read(both("dedup-report", "deduped/docs", "--json", "--top", "4", "--samples", "2"));
        assertTrue(report.get("duplicates_removed").asLong() > 10, report.toString());
        both("dedup-report", "deduped/docs");
    }

    @Test
    void reportHasAPagePerTable() throws Exception {
        Path out = tmp.resolve("report");
        TestLake.Run run = TestLake.cli(lake, "report", "--output", out.toString());
        assertEquals(0, run.code(), run.err());
        String index = java.nio.file.Files.readString(out.resolve("index.html"));
        assertTrue(index.contains("href=\"tables/clean__docs.html\""), "tables link to their pages");
        assertTrue(index.contains("the kept document beside its most edited duplicate"), "dedup side by side");
        assertTrue(index.contains("<ins>") || index.contains("<del>"), "the edits highlighted");
        String clean = java.nio.file.Files.readString(out.resolve("tables/clean__docs.html"));
        for (String section : List.of("Versions", "Schema", "Rows", "normalize")) {
            assertTrue(clean.contains(section), section);
        }
        String types = java.nio.file.Files.readString(out.resolve("tables/misc__types.html"));
        assertTrue(types.contains("id=\"signals\"") && types.contains("alt=\"histogram of x\""), "signal histograms");
        assertTrue(types.contains("deletion") || types.contains("DELETE"), "the delete is among the versions");
    }
}
