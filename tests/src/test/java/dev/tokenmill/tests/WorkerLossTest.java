package dev.tokenmill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker JVM SIGKILLed in the middle of a dp = 2 pretraining run on a three-worker standalone cluster: Spark runs
 * the barrier stage again on the workers left, every rank resumes from the latest complete checkpoint, and the run
 * ends with the losses and the byte-identical checkpoint of an uninterrupted run; the user sees one line about the
 * lost executor and one about the retried stage, no scheduler noise. Then a worker killed in the middle of a
 * data stage: the recipe's tables have the rows of a clean run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerLossTest {
    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static String master;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start(tmp.resolve("cluster"), 3, "1g");
        master = cluster.master;
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.stop();
    }

    private static final List<String> MODEL = List.of(
            "--dp",
            "2",
            "--steps",
            "600",
            "--param",
            "layers=2",
            "--param",
            "d_model=64",
            "--param",
            "heads=4",
            "--param",
            "kv_heads=2",
            "--param",
            "micro_batch=8",
            "--param",
            "warmup_steps=10",
            "--param",
            "eval_every=0",
            "--param",
            "checkpoint_every=50",
            "--param",
            "log_every=50",
            "--param",
            "keep_checkpoints=20",
            "--param",
            "threads_per_task=1");

    @Test
    @Order(1) // three workers: two slots for the dp = 2 ranks are left after the kill
    void aWorkerKilledMidRunIsRetriedAndTheRunEndsBitIdentical() throws Exception {
        E2e.corpus(tmp.resolve("in/part-0.jsonl"), 1500, 4);
        Path recipe = Files.writeString(tmp.resolve("tokens.yaml"), """
            name: tokens
            seed: 3
            stages:
              - stage: ingest
                source: lm
                input: %s
              - stage: normalize
                input: raw/lm
                output: clean/lm
              - stage: train-tokenizer
                input: clean/lm
                output: models/tok/lm
                params: {vocab_size: 300}
              - stage: tokenize
                input: clean/lm
                output: tokens/lm
                params: {tokenizer: models/tok/lm, seq_len: 64}
            """.formatted(tmp.resolve("in")));
        Path lake = tmp.resolve("lake");
        String tokenmill = E2e.home().resolve("bin/tokenmill").toString();
        E2e.Result tokens = E2e.exec(
                List.of(tokenmill, "--master", "local[2]", "--lake", lake.toString(), "run", recipe.toString()),
                Map.of(),
                Duration.ofMinutes(5));
        assertEquals(0, tokens.code(), tokens.out());

        List<String> reference = new ArrayList<>(List.of(
                tokenmill, "--master", "local[2]", "--lake", lake.toString(), "--no-ui", "pretrain", "tokens/lm"));
        reference.addAll(List.of("--output", "runs/whole"));
        reference.addAll(MODEL);
        E2e.Result whole = E2e.exec(reference, Map.of(), Duration.ofMinutes(5));
        assertEquals(0, whole.code(), whole.out());

        List<String> onCluster = new ArrayList<>(
                List.of(tokenmill, "--master", master, "--lake", lake.toString(), "--no-ui", "pretrain", "tokens/lm"));
        onCluster.addAll(List.of("--output", "runs/killed"));
        onCluster.addAll(MODEL);
        Path firstCheckpoint = lake.resolve("runs/killed/checkpoints/step-00000050");
        String out = killAWorkerDuring(
                onCluster,
                tmp.resolve("killed.log"),
                log -> Files.exists(firstCheckpoint),
                WorkerLossTest::rankZeroWorker);
        assertTrue(out.contains("retried (attempt 2"), out);
        assertTrue(out.lines().noneMatch(l -> l.contains("TaskSetManager") || l.contains("TaskSchedulerImpl")), out);
        assertTrue(out.contains("steps 0 → 600"), out);

        assertEquals(losses(lake.resolve("runs/whole")), losses(lake.resolve("runs/killed")));
        for (String file : List.of(
                "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors",
                "optimizer-00001-of-00002.safetensors",
                "optimizer-00002-of-00002.safetensors")) {
            assertEquals(
                    -1L,
                    Files.mismatch(
                            lake.resolve("runs/whole/checkpoints/step-00000600/" + file),
                            lake.resolve("runs/killed/checkpoints/step-00000600/" + file)),
                    file);
        }
        // the retried attempt resumed from a checkpoint, it did not start over
        assertTrue(executorLogs().anyMatch(s -> s.contains("resumed from step-")), "no rank resumed from a checkpoint");
    }

    /**
     * A worker JVM SIGKILLed while a recipe's filter step runs on the cluster: Spark runs the lost tasks again on the
     * workers left, and every table has the rows a clean {@code local[2]} run writes (nothing lost, nothing twice).
     */
    @Test
    @Order(2) // then two workers, one killed: a data stage needs only one
    void aWorkerKilledMidStageLosesAndDoublesNothing() throws Exception {
        E2e.corpus(tmp.resolve("data-in/part-0.jsonl"), 3000, 8);
        E2e.corpus(tmp.resolve("data-in/part-1.jsonl"), 1000, 8);
        Path recipe = Files.writeString(tmp.resolve("data.yaml"), """
            name: data
            seed: 5
            stages:
              - stage: ingest
                source: dt
                input: %s
              - stage: clean
                input: raw/dt
                output: clean/dt
              - stage: filter
                input: clean/dt
                output: filtered/dt
                params:
                  filters: [gopher_repetition]
              - stage: dedup-fuzzy
                input: filtered/dt
                output: neardup/dt
                params: {threshold: 0.7, clusters: dedup/dt-clusters}
            """.formatted(tmp.resolve("data-in")));
        String tokenmill = E2e.home().resolve("bin/tokenmill").toString();
        Path clean = tmp.resolve("data-local");
        E2e.Result local = E2e.exec(
                List.of(
                        tokenmill,
                        "--master",
                        "local[2]",
                        "--no-ui",
                        "--lake",
                        clean.toString(),
                        "run",
                        recipe.toString()),
                Map.of(),
                Duration.ofMinutes(5));
        assertEquals(0, local.code(), local.out());

        Path killed = tmp.resolve("data-killed");
        String out = killAWorkerDuring(
                List.of(
                        tokenmill,
                        "--master",
                        master,
                        "--no-ui",
                        "--lake",
                        killed.toString(),
                        "run",
                        recipe.toString()),
                tmp.resolve("data-killed.log"),
                log -> Files.readString(log).contains("filter clean/dt@0 → filtered/dt ..."),
                WorkerLossTest::anExecutorsWorker);
        for (String table :
                List.of("raw/dt", "clean/dt", "filtered/dt", "rejected/dt", "neardup/dt", "dedup/dt-clusters")) {
            assertEquals(E2e.contentSha256(clean.resolve(table)), E2e.contentSha256(killed.resolve(table)), table);
        }
    }

    /** A condition on the command's output so far. */
    private interface Ready {
        boolean test(Path log) throws Exception;
    }

    /** Which worker JVM to kill. */
    private interface Victim {
        ProcessHandle find() throws Exception;
    }

    /**
     * Starts {@code command}, SIGKILLs the worker {@code victim} names once {@code ready} holds, and returns the
     * command's output after checking that it succeeded and said it lost an executor.
     */
    private static String killAWorkerDuring(List<String> command, Path log, Ready ready, Victim victim)
            throws Exception {
        Process run = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!ready.test(log)) {
            assertTrue(run.isAlive() && System.nanoTime() < deadline, "never ready to kill: " + Files.readString(log));
            Thread.sleep(20);
        }
        victim.find().destroyForcibly();
        assertTrue(run.waitFor(5, TimeUnit.MINUTES), Files.readString(log));
        String out = Files.readString(log);
        assertEquals(0, run.exitValue(), out);
        assertTrue(out.contains("tokenmill: lost executor"), out);
        return out;
    }

    /** The worker JVM of some executor of the running application (the cluster may have replaced earlier ones). */
    private static ProcessHandle anExecutorsWorker() {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info()
                        .arguments()
                        .map(a -> List.of(a).contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"))
                        .orElse(false))
                .map(h -> h.parent().orElseThrow())
                .filter(w -> w.info()
                        .arguments()
                        .map(a -> List.of(a).contains("org.apache.spark.deploy.worker.Worker"))
                        .orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no executor with a worker"));
    }

    /** The worker JVM whose executor runs rank 0 (the one printing the training steps to its stdout). */
    private static ProcessHandle rankZeroWorker() throws Exception {
        Path executorDir = null;
        for (Path p : executorStdouts()) {
            if (Files.readString(p).contains("checkpoint step-")) {
                executorDir = p.getParent();
            }
        }
        assertTrue(executorDir != null, "no executor printed a checkpoint");
        String executorId = executorDir.getFileName().toString();
        String appId = executorDir.getParent().getFileName().toString();
        Optional<ProcessHandle> executor = ProcessHandle.allProcesses()
                .filter(h -> h.info()
                        .arguments()
                        .map(a -> List.of(a).contains(appId)
                                && argAfter(a, "--executor-id").equals(executorId))
                        .orElse(false))
                .findFirst();
        assertTrue(executor.isPresent(), "no process for executor " + executorId + " of " + appId);
        return executor.get().parent().orElseThrow();
    }

    private static String argAfter(String[] args, String flag) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(flag)) {
                return args[i + 1];
            }
        }
        return "";
    }

    /** The stdout file of every executor the cluster's workers ran. */
    private static List<Path> executorStdouts() throws Exception {
        try (Stream<Path> files = Files.walk(tmp.resolve("cluster"))) {
            return files.filter(p -> p.getFileName().toString().equals("stdout"))
                    .toList();
        }
    }

    private static Stream<String> executorLogs() throws Exception {
        List<String> texts = new ArrayList<>();
        for (Path p : executorStdouts()) {
            texts.add(Files.readString(p));
        }
        return texts.stream();
    }

    private static List<Double> losses(Path run) throws Exception {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = Json.read(line);
            if (n.has("loss")) {
                out.add(n.get("loss").asDouble());
            }
        }
        return out;
    }
}
