package dev.tokenmill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tokenmill cluster start --workers 2} (a Master and two Worker JVMs of one core each, from the Maven jars
 * on 127.0.0.1), then Spark's own SparkSubmit sends the application jar to it: a recipe writes Delta tables with
 * executors in both workers, a second submit reads them back, and Delta Kernel (no Spark) agrees with Spark on every
 * table version; a sweep's proxy runs train as tasks there.
 */
class ClusterSubmitTest {
    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static String master;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start(tmp.resolve("cluster"), 2, "2g");
        master = cluster.master;
        assertTrue(cluster.started.contains("cluster started: " + master), cluster.started);
        assertTrue(cluster.started.contains("2 workers with 1 cores"), cluster.started);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.stop();
    }

    @Test
    void statusReportsTheWorker() throws Exception {
        E2e.Result status = cluster.run("cluster", "status", "--json");
        assertEquals(0, status.code(), status.out());
        JsonNode st = Json.read(status.out().substring(status.out().indexOf('{')));
        assertTrue(st.get("running").asBoolean(), status.out());
        assertEquals(2, st.get("alive_workers").asInt(), status.out());
        assertEquals(2, st.get("cores").asInt(), status.out());
    }

    @Test
    void submitWritesDeltaTablesThatSparkAndDeltaKernelReadBack() throws Exception {
        E2e.corpus(tmp.resolve("in/part-0.jsonl"), 400, 1);
        E2e.corpus(tmp.resolve("in/part-1.jsonl"), 300, 2);
        Path recipe = Files.writeString(tmp.resolve("recipe.yaml"), """
            name: on-cluster
            seed: 3
            stages:
              - stage: ingest
                source: gen
                input: %s
              - stage: normalize
                input: raw/gen
                output: clean/gen
            """.formatted(tmp.resolve("in")));
        String lake = tmp.resolve("lake").toString();

        E2e.Result run = E2e.exec(
                E2e.sparkSubmit(master, "--lake", lake, "run", recipe.toString()), Map.of(), Duration.ofMinutes(5));
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("700 added"), run.out());
        assertTrue(run.out().contains("700 in, 630 kept, 70 rejected"), run.out());
        for (String work : List.of("work", "work-2")) { // an executor of the application ran in each worker
            try (var apps = Files.list(tmp.resolve("cluster").resolve(work))) {
                assertTrue(apps.anyMatch(a -> a.getFileName().toString().startsWith("app-")), work);
            }
        }

        E2e.Result show = E2e.exec(
                E2e.sparkSubmit(master, "--lake", lake, "stats", "clean/gen", "--json"),
                Map.of(),
                Duration.ofMinutes(5));
        assertEquals(0, show.code(), show.out());
        JsonNode stats = Json.read(show.out().substring(show.out().indexOf('{')));
        assertEquals(630, stats.get("rows").asInt(), show.out());

        for (String table : List.of("raw/gen", "clean/gen", "rejected/gen")) {
            String path = tmp.resolve("lake").resolve(table).toString();
            Dataset<Row> spark = E2e.spark().read().format("delta").load(path);
            JsonNode kernel = E2e.kernelRead(path, null, Map.of());
            assertEquals(spark.count(), kernel.get("rows").asLong(), table);
            assertEquals(E2e.idsSha256(spark), kernel.get("ids_sha256").asText(), table);
        }
        JsonNode v0 = E2e.kernelRead(tmp.resolve("lake/raw/gen").toString(), 0L, Map.of());
        assertEquals(0, v0.get("version").asInt());
        assertEquals(700, v0.get("rows").asInt());
    }

    @Test
    void aSweepTrainsItsProxyRunsAsTasksOnTheCluster() throws Exception {
        E2e.corpus(tmp.resolve("sweep-in/part-0.jsonl"), 300, 7);
        Path recipe = Files.writeString(tmp.resolve("tokens.yaml"), """
            name: tokens
            seed: 3
            stages:
              - stage: ingest
                source: sw
                input: %s
              - stage: normalize
                input: raw/sw
                output: clean/sw
              - stage: train-tokenizer
                input: clean/sw
                output: models/tok/sw
                params: {vocab_size: 300}
              - stage: tokenize
                input: clean/sw
                output: tokens/sw
                params: {tokenizer: models/tok/sw, seq_len: 32}
            """.formatted(tmp.resolve("sweep-in")));
        Path spec = Files.writeString(tmp.resolve("sweep.yaml"), """
            name: sw
            seed: 1
            seeds: 2
            base: {layers: 1, d_model: 16, heads: 2, kv_heads: 1, seq_len: 16, micro_batch: 2, steps: 4,
                   warmup_steps: 1, eval_every: 0, checkpoint_every: 4, log_every: 4}
            runs: [{name: tiny, data: tokens/sw}]
            eval: [tokens/sw]
            eval_windows: 4
            """);
        String lake = tmp.resolve("sweep-lake").toString();
        String tokenmill = E2e.home().resolve("bin/tokenmill").toString();
        E2e.Result tokens = E2e.exec(
                List.of(tokenmill, "--master", master, "--lake", lake, "run", recipe.toString()),
                Map.of(),
                Duration.ofMinutes(5));
        assertEquals(0, tokens.code(), tokens.out());
        E2e.Result sweep = E2e.exec(
                List.of(tokenmill, "--master", master, "--lake", lake, "sweep", spec.toString()),
                Map.of(),
                Duration.ofMinutes(5));
        assertEquals(0, sweep.code(), sweep.out());
        assertTrue(sweep.out().contains("2 runs, 0 finished earlier, 2 to run"), sweep.out());
        assertTrue(sweep.out().contains("runs 2 / 2 done"), sweep.out());
        assertTrue(sweep.out().contains("sweeps/sw@0: 2 runs"), sweep.out());
    }

    /**
     * A longer recipe (ingest → clean → filter → fuzzy dedup → tokenizer → tokenize) on the two workers writes every
     * table with the same content as the same recipe on {@code local[2]}: row digests over every column agree.
     */
    @Test
    void aRecipeOnTwoWorkersWritesTheTablesLocalModeWrites() throws Exception {
        E2e.corpus(tmp.resolve("digest-in/part-0.jsonl"), 500, 11);
        E2e.corpus(tmp.resolve("digest-in/part-1.jsonl"), 300, 11); // the first 300 again: exact and near copies
        Path recipe = Files.writeString(tmp.resolve("digest.yaml"), """
            name: digest
            seed: 9
            stages:
              - stage: ingest
                source: dg
                input: %s
              - stage: clean
                input: raw/dg
                output: clean/dg
              - stage: filter
                input: clean/dg
                output: filtered/dg
                params:
                  filters: [gopher_repetition]
              - stage: dedup-fuzzy
                input: filtered/dg
                output: neardup/dg
                params: {threshold: 0.7, clusters: dedup/dg-clusters}
              - stage: train-tokenizer
                input: neardup/dg
                output: models/tok/dg
                params: {vocab_size: 300}
              - stage: tokenize
                input: neardup/dg
                output: tokens/dg
                params: {tokenizer: models/tok/dg, seq_len: 32}
            """.formatted(tmp.resolve("digest-in")));
        String tokenmill = E2e.home().resolve("bin/tokenmill").toString();
        Map<String, Path> lakes =
                Map.of(master, tmp.resolve("digest-cluster"), "local[2]", tmp.resolve("digest-local"));
        for (var e : lakes.entrySet()) {
            E2e.Result run = E2e.exec(
                    List.of(
                            tokenmill,
                            "--master",
                            e.getKey(),
                            "--no-ui",
                            "--lake",
                            e.getValue().toString(),
                            "run",
                            recipe.toString()),
                    Map.of(),
                    Duration.ofMinutes(8));
            assertEquals(0, run.code(), run.out());
        }
        for (String table : List.of(
                "raw/dg", "clean/dg", "filtered/dg", "rejected/dg", "neardup/dg", "dedup/dg-clusters", "tokens/dg")) {
            assertEquals(
                    E2e.contentSha256(tmp.resolve("digest-local").resolve(table)),
                    E2e.contentSha256(tmp.resolve("digest-cluster").resolve(table)),
                    table);
        }
        assertTrue(
                E2e.spark()
                                .read()
                                .format("delta")
                                .load(tmp.resolve("digest-cluster/rejected/dg").toString())
                                .count()
                        > 0,
                "the copies were found");
    }
}
