package dev.tokenmill.jobs.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.cli.LakeCommand;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.train.Metrics;
import dev.tokenmill.train.Progress;
import dev.tokenmill.train.TrainConfig;
import dev.tokenmill.train.Trainer;
import dev.tokenmill.train.data.PackedSamples;
import dev.tokenmill.train.dist.Collective;
import dev.tokenmill.train.model.ModelConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training throughput of our DJL trainer against the same model, batch and optimizer in eager PyTorch (Debian's
 * python3-torch), same machine, same thread count, same run: tokens/s over the steps after a warm-up, and each
 * side's training FLOP/s as a share of its own engine's fp32 GEMM rate measured on the same threads (libtorch via
 * DJL here, the peer's BLAS there), with the nominal-peak MFU beside it, labelled.
 */
@Command(
        name = "pretrain",
        mixinStandardHelpOptions = true,
        description = "CPU tokens/s of the pretrain loop vs the same model in PyTorch (python3-torch), same threads.")
public final class BenchPretrainCommand extends LakeCommand {
    @Option(names = "--model", defaultValue = "10m", description = "tiny (the demo's 1.75M) or 10m (~9.3M parameters).")
    String model;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Intra-op threads on both sides (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--python",
            defaultValue = "/usr/bin/python3",
            description = "A Python with torch (default ${DEFAULT-VALUE}).")
    String python;

    @Option(
            names = "--gemm-n",
            defaultValue = "1024",
            description = "Side of the square fp32 GEMM whose rate each engine is "
                    + "measured at (default ${DEFAULT-VALUE}).")
    int gemmN;

    @Option(names = "--work-dir", defaultValue = "target/bench-pretrain", description = "Scratch folder.")
    Path workDir;

    @Override
    public void run() {
        ModelConfig m = switch (model) {
            case "tiny" -> ModelConfig.of(8000, 4, 128, 4, 2, 344, 128);
            case "10m" -> ModelConfig.of(8000, 10, 256, 8, 4, 688, 256);
            default -> throw new dev.tokenmill.jobs.UserError("--model must be tiny or 10m");
        };
        int microBatch = 8;
        out().printf(
                        "model %s: %,d parameters (%d layers, d_model %d, %d/%d heads, ffn %d, seq %d, vocab %,d), batch %d × %d, %d threads%n",
                        model,
                        m.parameterCount(),
                        m.layers(),
                        m.dModel(),
                        m.heads(),
                        m.kvHeads(),
                        m.ffn(),
                        m.seqLen(),
                        m.vocabSize(),
                        microBatch,
                        m.seqLen(),
                        threads);
        out().flush();
        out().println("machine: " + TimedProcess.cpu());
        double flopsPerToken = Progress.flopsPerToken(m);
        for (int round = 1; round <= 2; round++) {
            // each engine's own fp32 GEMM rate on the same threads, measured beside its training run
            double ourGemm = dev.tokenmill.train.GemmRate.measure(gemmN, gemmN, gemmN, 10, threads);
            double ours = ours(m, microBatch);
            JsonNode peer = peer(m, microBatch);
            double theirs = peer.get("tokens_per_s").asDouble();
            double peerGemm = peer.path("gemm_gflops").asDouble(0);
            if (peerGemm > 0 && peerGemm < 10) {
                out().printf(
                                "warning: the peer's matrix multiply runs at %.1f GFLOP/s: its libblas.so.3 is the reference BLAS; "
                                        + "install an optimized one (apt-get install libopenblas0-openmp) for a fair comparison%n",
                                peerGemm);
            }
            double ourFlops = ours * flopsPerToken / 1e9;
            double peerFlops = theirs * flopsPerToken / 1e9;
            out().printf(
                            "round %d: tokenmill %,.0f tok/s = %.1f GFLOP/s, %.0f %% of libtorch's measured GEMM rate (%.1f GFLOP/s, "
                                    + "%d² fp32, %d threads; %.0f %% of the nominal peak) | PyTorch %s (BLAS %s%s) %,.0f tok/s = %.1f GFLOP/s, "
                                    + "%.0f %% of its GEMM rate (%.1f GFLOP/s) | ratio tok/s %.2f%n",
                            round,
                            ours,
                            ourFlops,
                            100 * ourFlops / ourGemm,
                            ourGemm,
                            gemmN,
                            threads,
                            100 * ours * flopsPerToken / Progress.cpuPeakFlops(threads),
                            peer.get("torch").asText(),
                            peer.path("blas").asText("?"),
                            peer.path("openblas_coretype").isTextual()
                                    ? ", OPENBLAS_CORETYPE="
                                            + peer.get("openblas_coretype").asText()
                                    : "",
                            theirs,
                            peerFlops,
                            100 * peerFlops / peerGemm,
                            peerGemm,
                            ours / theirs);
            out().flush();
        }
    }

    private double ours(ModelConfig m, int microBatch) {
        dev.tokenmill.train.Torch.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(1);
        List<int[]> samples = new ArrayList<>();
        for (int i = 0; i < microBatch * (steps + warmup) + 1; i++) {
            int[] t = new int[m.seqLen() + 1];
            for (int k = 0; k < t.length; k++) {
                t[k] = rng.nextInt(m.vocabSize());
            }
            samples.add(t);
        }
        TrainConfig cfg = TrainConfig.defaults()
                .withSteps(steps + warmup)
                .withBatch(microBatch, 1)
                .withEval(0, 0)
                .withCheckpoints(0, 1)
                .withSchedule(1e-3, 1e-4, 2);
        Path run = workDir.resolve("ours");
        try (Trainer t = new Trainer(
                m,
                cfg,
                PackedSamples.of(samples),
                run,
                Collective.single(),
                new PrintWriter(new StringWriter()),
                Map.of(),
                0,
                Device.cpu())) {
            t.run(false);
        }
        List<JsonNode> metrics = Metrics.read(run);
        double start = metrics.get(warmup - 1).get("elapsed_s").asDouble();
        double end = metrics.get(metrics.size() - 1).get("elapsed_s").asDouble();
        double[] parts = new double[3];
        for (JsonNode r : metrics.subList(warmup, metrics.size())) {
            parts[0] += r.path("compute_s").asDouble();
            parts[1] += r.path("sync_s").asDouble();
            parts[2] += r.path("update_s").asDouble();
        }
        double total = end - start;
        out().printf(
                        "  tokenmill's step: forward + backward %.0f %%, gradient path in Java (flatten, all-reduce, norm, clip) %.0f %%, "
                                + "AdamW update %.0f %%, other %.0f %%%n",
                        100 * parts[0] / total,
                        100 * parts[1] / total,
                        100 * parts[2] / total,
                        100 * (total - parts[0] - parts[1] - parts[2]) / total);
        return (double) steps * microBatch * m.seqLen() / (end - start);
    }

    private JsonNode peer(ModelConfig m, int microBatch) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("vocab", m.vocabSize());
        c.put("layers", m.layers());
        c.put("d_model", m.dModel());
        c.put("heads", m.heads());
        c.put("kv_heads", m.kvHeads());
        c.put("ffn", m.ffn());
        c.put("seq_len", m.seqLen());
        c.put("micro_batch", microBatch);
        c.put("threads", threads);
        c.put("steps", steps);
        c.put("warmup", warmup);
        c.put("lr", 1e-3);
        c.put("seed", 1);
        c.put("gemm_n", gemmN);
        Path script =
                Path.of(System.getProperty("tokenmill.home", "."), "distributed-train/src/bench/python/llama_torch.py");
        try {
            Process p = new ProcessBuilder(python, script.toString(), Json.write(c))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new JobFailure("the PyTorch peer failed: " + out.strip());
            }
            String last = out.strip().substring(out.strip().lastIndexOf('\n') + 1);
            return Json.read(last);
        } catch (IOException | InterruptedException e) {
            throw new JobFailure("cannot run " + python + " " + script + ": " + e.getMessage(), e);
        }
    }
}
