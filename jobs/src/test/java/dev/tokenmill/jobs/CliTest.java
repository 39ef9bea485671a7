package dev.tokenmill.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The verbs end to end in-process (one SparkSession), on a lake built by a recipe. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {
    @TempDir
    static Path tmp;

    static Path lake;
    static Path recipe;

    @BeforeAll
    static void buildLake() throws Exception {
        TestLake.spark();
        lake = tmp.resolve("lake");
        TestLake.write(
                tmp.resolve("in/docs.jsonl"),
                String.join(
                                "\n",
                                "{\"text\": \"First  document.\\r\\nWith CRLF.\", \"lang\": \"en\"}",
                                "{\"text\": \"Cafe\\u0301 au lait.\"}",
                                "{\"text\": \"\\u0007\\u0000 \"}",
                                "{oops",
                                "{\"text\": \"Plain fourth document.\"}")
                        + "\n");
        recipe = TestLake.write(tmp.resolve("recipe.yaml"), """
            name: cli-test
            seed: 11
            stages:
              - stage: ingest
                source: docs
                input: ${IN_DIR:-%s}
              - stage: normalize
                input: raw/docs
                output: clean/docs
            """.formatted(tmp.resolve("in")));
    }

    @Test
    @Order(1)
    void runThenUpToDateThenForce() {
        TestLake.Run first = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("4 added"), first.out());
        assertTrue(first.out().contains("1 quarantined"), first.out());
        assertTrue(first.out().contains("4 in, 3 kept, 1 rejected"), first.out());

        TestLake.Run second = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, second.code(), second.err());
        assertEquals(2, second.out().split("up to date", -1).length - 1, second.out());

        TestLake.Run forced = TestLake.cli(lake, "run", recipe.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(forced.out().contains("normalize raw/docs@0 → clean/docs@0: up to date"), forced.out());
        assertTrue(forced.out().contains("clean/docs@1"), forced.out());
    }

    @Test
    @Order(2)
    void normalizeOutputAndRejectedRows() {
        JsonNode rows = Json.read(TestLake.cli(lake, "show", "clean/docs", "--json", "--limit", "10")
                .out());
        assertEquals(3, rows.size());
        boolean sawCafe = false;
        for (JsonNode r : rows) {
            String text = r.get("text").asText();
            assertFalse(text.contains("\r"), text);
            sawCafe |= text.equals("Café au lait.");
        }
        assertTrue(sawCafe, "NFC applied");
        JsonNode rejected =
                Json.read(TestLake.cli(lake, "show", "rejected/docs", "--json").out());
        assertEquals(1, rejected.size(), "the forced rerun replaced, not duplicated, the stage's rejected rows");
        assertEquals("empty-text", rejected.get(0).get("rule").asText());
        assertEquals("normalize", rejected.get(0).get("stage").asText());
    }

    @Test
    @Order(3)
    void versionsAndLineage() {
        JsonNode versions =
                Json.read(TestLake.cli(lake, "versions", "clean/docs", "--json").out());
        assertEquals(2, versions.size());
        JsonNode lineage = versions.get(0).get("lineage");
        assertEquals("normalize", lineage.get("stage").asText());
        assertEquals(64, lineage.get("fingerprint").asText().length());
        assertEquals("raw/docs", lineage.get("inputs").get(0).get("table").asText());
        assertEquals(0, lineage.get("inputs").get(0).get("version").asInt());
        assertEquals(4, lineage.get("rows_in").asInt());
        assertEquals(3, lineage.get("rows_out").asInt());
        assertEquals(11, lineage.get("seed").asInt());
        assertTrue(lineage.get("wall_ms").asLong() > 0);

        TestLake.Run text = TestLake.cli(lake, "lineage", "clean/docs@0");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("clean/docs@0  normalize"), text.out());
        assertTrue(text.out().contains("raw/docs@0  ingest"), text.out());
        assertTrue(text.out().contains("files file:"), text.out());
        JsonNode tree =
                Json.read(TestLake.cli(lake, "lineage", "clean/docs", "--json").out());
        assertEquals("raw/docs", tree.get("inputs").get(0).get("table").asText());
        assertTrue(tree.get("inputs").get(0).get("inputs").get(0).has("files"));

        TestLake.Run table = TestLake.cli(lake, "versions", "raw/docs");
        assertTrue(table.out().contains("ingest"), table.out());
    }

    @Test
    @Order(4)
    void diffAndStatsAcrossVersions() throws Exception {
        TestLake.write(tmp.resolve("in/more.jsonl"), "{\"text\":\"A fifth document arrives.\"}\n");
        assertEquals(
                0,
                TestLake.cli(
                                lake,
                                "ingest",
                                "--source",
                                "docs",
                                "--input",
                                tmp.resolve("in").toString())
                        .code());
        JsonNode diff = Json.read(
                TestLake.cli(lake, "diff", "raw/docs", "0", "1", "--json").out());
        assertEquals(1, diff.get("rows_added").asInt());
        assertEquals(0, diff.get("rows_removed").asInt());
        assertEquals(0, diff.get("rows_changed").asInt());
        assertEquals("4", diff.get("stats").get("rows").get(0).asText());
        assertEquals("5", diff.get("stats").get("rows").get(1).asText());
        TestLake.Run readable = TestLake.cli(lake, "diff", "raw/docs", "0", "1");
        assertTrue(readable.out().contains("rows added 1, removed 0, changed 0"), readable.out());

        JsonNode stats =
                Json.read(TestLake.cli(lake, "stats", "raw/docs@0", "--json").out());
        assertEquals(4, stats.get("rows").asInt());
        assertEquals(0, stats.get("version").asInt());
        assertTrue(stats.get("files").asInt() >= 1);
        assertEquals(4, stats.get("rows_by_source").get("docs").asInt());

        JsonNode tables = Json.read(TestLake.cli(lake, "tables", "--json").out());
        assertEquals(4, tables.size(), tables.toString());
    }

    @Test
    @Order(5)
    void exportJsonlAndParquet() throws Exception {
        Path out = tmp.resolve("export-jsonl");
        TestLake.Run r = TestLake.cli(lake, "export", "clean/docs@0", "--format", "jsonl", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        long lines = 0;
        try (var files = Files.list(out)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .toList()) {
                lines += Files.readAllLines(p).size();
            }
        }
        assertEquals(3, lines);
        Path pq = tmp.resolve("export-pq");
        assertEquals(
                0,
                TestLake.cli(lake, "export", "raw/docs", "--format", "parquet", "--output", pq.toString())
                        .code());
        assertEquals(5, TestLake.spark().read().parquet(pq.toString()).count());
        TestLake.Run again = TestLake.cli(lake, "export", "raw/docs", "--format", "parquet", "--output", pq.toString());
        assertEquals(2, again.code());
        assertTrue(again.errLine().contains("exists"), again.err());
    }

    // ---- bad input: one line on stderr, exit 2 for usage errors and 1 for failures, never a stack trace ----

    private static void assertOneLineError(TestLake.Run r, int code, String fragment) {
        assertEquals(code, r.code(), "exit code; stderr: " + r.err() + " stdout: " + r.out());
        assertEquals(1, r.errLine().lines().count(), "one line: " + r.err());
        assertTrue(r.errLine().startsWith("tokenmill: "), r.err());
        assertTrue(r.errLine().contains(fragment), "expected '" + fragment + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    @Order(10)
    void missingInputPath() {
        assertOneLineError(
                TestLake.cli(
                        lake,
                        "ingest",
                        "--source",
                        "x",
                        "--input",
                        tmp.resolve("missing.jsonl").toString()),
                2,
                "does not exist");
    }

    @Test
    @Order(11)
    void emptyInput() throws Exception {
        Path empty = TestLake.write(tmp.resolve("empty/e.jsonl"), "");
        assertOneLineError(TestLake.cli(lake, "ingest", "--source", "e", "--input", empty.toString()), 1, "no records");
    }

    @Test
    @Order(12)
    void unknownTable() {
        assertOneLineError(TestLake.cli(lake, "show", "raw/nope"), 2, "no table 'raw/nope'");
        assertOneLineError(TestLake.cli(lake, "versions", "raw/nope"), 2, "tables: ");
        assertOneLineError(TestLake.cli(lake, "show", "clean/doc"), 2, "did you mean clean/docs?");
    }

    @Test
    @Order(13)
    void versionOutOfRange() {
        assertOneLineError(TestLake.cli(lake, "show", "clean/docs@99"), 2, "version 99 does not exist");
        assertOneLineError(TestLake.cli(lake, "diff", "clean/docs", "0", "7"), 2, "versions 0..1");
        assertOneLineError(TestLake.cli(lake, "show", "clean/docs@x"), 2, "non-negative integer");
    }

    @Test
    @Order(14)
    void malformedRecipes() throws Exception {
        Path badYaml =
                TestLake.write(tmp.resolve("bad1.yaml"), "name: x\nstages:\n  - stage: ingest\n   source: [unclosed\n");
        assertOneLineError(TestLake.cli(lake, "run", badYaml.toString()), 2, "line ");
        Path unknownField = TestLake.write(
                tmp.resolve("bad2.yaml"), "name: x\nstages:\n  - stage: normalize\n    inptu: raw/docs\n");
        assertOneLineError(TestLake.cli(lake, "run", unknownField.toString()), 2, "unknown field 'inptu'");
        TestLake.Run r = TestLake.cli(lake, "run", unknownField.toString());
        assertTrue(r.errLine().contains("line 4"), r.err());
        Path unknownStage = TestLake.write(
                tmp.resolve("bad3.yaml"), "name: x\nstages:\n  - stage: normalise\n    input: a\n    output: b\n");
        assertOneLineError(
                TestLake.cli(lake, "run", unknownStage.toString()), 2, "stages[0] (normalise): unknown stage");
        Path badParam = TestLake.write(
                tmp.resolve("bad4.yaml"),
                "name: x\nstages:\n  - stage: normalize\n    input: raw/docs\n    output: c\n    params: {form: NFD}\n");
        assertOneLineError(TestLake.cli(lake, "run", badParam.toString()), 2, "parameter 'form' must be one of");
        Path noStages = TestLake.write(tmp.resolve("bad5.yaml"), "name: x\n");
        assertOneLineError(TestLake.cli(lake, "run", noStages.toString()), 2, "stages");
        Path unsetVar = TestLake.write(
                tmp.resolve("bad6.yaml"),
                "name: x\nstages:\n  - stage: ingest\n    source: s\n    input: ${NOT_SET_ANYWHERE}\n");
        assertOneLineError(
                TestLake.cli(lake, "run", unsetVar.toString()), 2, "line 5: environment variable NOT_SET_ANYWHERE");
        assertOneLineError(TestLake.cli(lake, "run", tmp.resolve("absent.yaml").toString()), 2, "does not exist");
    }

    @Test
    @Order(14)
    void recipesThatWouldOverwriteTheirInputOrReadAheadAreRefused() throws Exception {
        long rawVersion = TestLake.lake(lake).latestVersion(TestLake.lake(lake).locate("raw/docs"));
        Path selfOverwrite = TestLake.write(
                tmp.resolve("flow1.yaml"),
                "name: x\nstages:\n  - stage: clean\n    input: raw/docs\n    output: raw/docs\n");
        assertOneLineError(
                TestLake.cli(lake, "run", selfOverwrite.toString()),
                2,
                "recipe x: stages[0] (clean) writes raw/docs, which is also its input: give it another output");
        Path sameTableByPath = TestLake.write(
                tmp.resolve("flow2.yaml"),
                "name: x\nstages:\n  - stage: clean\n    input: raw/docs\n    output: "
                        + lake.resolve("raw/docs").toUri() + "\n");
        assertOneLineError(TestLake.cli(lake, "run", sameTableByPath.toString()), 2, "which is also its input");
        Path readAhead = TestLake.write(
                tmp.resolve("flow3.yaml"),
                "name: x\nstages:\n"
                        + "  - stage: filter\n    input: flow/clean\n    output: flow/filtered\n"
                        + "  - stage: clean\n    input: raw/docs\n    output: flow/clean\n");
        assertOneLineError(
                TestLake.cli(lake, "run", readAhead.toString()),
                2,
                "recipe x: stages[0] (filter) reads flow/clean, which stages[1] (clean) writes later: move stages[1] (clean) before it");
        Path twoWriters = TestLake.write(
                tmp.resolve("flow4.yaml"),
                "name: x\nstages:\n"
                        + "  - stage: clean\n    input: raw/docs\n    output: flow/a\n"
                        + "  - stage: pii\n    input: flow/a\n    output: flow/b\n"
                        + "  - stage: langid\n    input: flow/a\n    output: flow/b\n");
        assertOneLineError(
                TestLake.cli(lake, "run", twoWriters.toString()),
                2,
                "stages[1] (pii) and stages[2] (langid) both write flow/b");
        Path rejectsIntoInput = TestLake.write(
                tmp.resolve("flow5.yaml"),
                "name: x\nstages:\n  - stage: clean\n    input: raw/docs\n    output: flow/c\n    rejected: raw/docs\n");
        assertOneLineError(
                TestLake.cli(lake, "run", rejectsIntoInput.toString()), 2, "writes raw/docs, which is also its input");
        Path ingestOverRead = TestLake.write(
                tmp.resolve("flow6.yaml"),
                "name: x\nstages:\n"
                        + "  - stage: clean\n    input: raw/late\n    output: flow/late\n"
                        + "  - stage: ingest\n    source: late\n    input: /nowhere/*.jsonl\n");
        assertOneLineError(
                TestLake.cli(lake, "run", ingestOverRead.toString()),
                2,
                "stages[0] (clean) reads raw/late, which stages[1] (ingest) writes later");
        assertEquals(
                rawVersion,
                TestLake.lake(lake).latestVersion(TestLake.lake(lake).locate("raw/docs")),
                "nothing was written");
        assertFalse(java.nio.file.Files.exists(lake.resolve("flow")), "nothing was written");
    }

    @Test
    @Order(15)
    void unknownVerbAndOption() {
        assertOneLineError(TestLake.cli(lake, "frobnicate"), 2, "frobnicate");
        assertOneLineError(TestLake.cli(lake, "show", "raw/docs", "--limt", "3"), 2, "--limt");
        assertOneLineError(TestLake.cli(lake, "ingest", "--input", "x"), 2, "--source");
    }

    @Test
    @Order(16)
    void unreachableS3Endpoint() {
        TestLake.Run r = TestLake.cli(
                "--lake",
                "s3a://tokenmill-unreachable/lake",
                "--conf",
                "spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:1",
                "--conf",
                "spark.hadoop.fs.s3a.endpoint.region=us-east-1",
                "--conf",
                "spark.hadoop.fs.s3a.path.style.access=true",
                "--conf",
                "spark.hadoop.fs.s3a.access.key=x",
                "--conf",
                "spark.hadoop.fs.s3a.secret.key=y",
                "--conf",
                "spark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "--conf",
                "spark.hadoop.fs.s3a.attempts.maximum=1",
                "--conf",
                "spark.hadoop.fs.s3a.retry.limit=1",
                "tables");
        assertOneLineError(r, 1, "cannot");
    }

    @Test
    @Order(17)
    void verboseShowsTheStackTrace() {
        TestLake.Run r = TestLake.cli(lake, "--verbose", "show", "raw/nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
