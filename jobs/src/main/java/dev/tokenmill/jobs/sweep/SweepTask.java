package dev.tokenmill.jobs.sweep;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.train.Torch;
import dev.tokenmill.train.Trainer;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.data.PackedSamples;
import dev.tokenmill.train.data.SampleOrder;
import dev.tokenmill.train.dist.Collective;
import dev.tokenmill.train.infer.CheckpointModel;
import dev.tokenmill.train.infer.LogLikelihood;
import dev.tokenmill.train.model.LlamaModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of one sweep task: train the run with the existing trainer on one rank (resuming its own checkpoint if a
 * killed sweep left one), score its final checkpoint on windows spread over the evaluation tables, and write the result as
 * JSON next to the others (atomically: a result file means a finished run).
 */
final class SweepTask {
    private SweepTask() {}

    static Map<String, Object> run(SweepRun r) {
        Torch.setThreads(r.threads());
        long t0 = System.nanoTime();
        Path runDir = Path.of(r.runDir());
        List<PackedSamples> opened = new ArrayList<>();
        Map<String, Object> mixture = new LinkedHashMap<>();
        try {
            PackedSamples data = open(r, opened, mixture);
            try (Collective single = Collective.single();
                    Trainer trainer = new Trainer(
                            r.model(),
                            r.train(),
                            data,
                            runDir,
                            single,
                            null,
                            new LinkedHashMap<>(Map.of("sweep_run", r.id())),
                            0,
                            Device.cpu())) {
                trainer.run(true);
            }
        } catch (Exception e) {
            throw new IllegalStateException("sweep run " + r.name() + " (" + r.id() + "): " + e.getMessage(), e);
        } finally {
            opened.forEach(PackedSamples::close);
        }
        Map<String, Double> evals = new TreeMap<>();
        Map<String, Double> bitsPerByte = new TreeMap<>();
        if (!r.evalPrefixes().isEmpty()) {
            Path checkpoint = Checkpoints.latest(runDir).orElseThrow();
            try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                    LlamaModel model = CheckpointModel.load(checkpoint, manager)) {
                LogLikelihood scorer = new LogLikelihood(model, 512);
                for (var e : r.evalPrefixes().entrySet()) {
                    double[] nllTokens =
                            windowLoss(scorer, e.getValue(), r.model().seqLen(), r.evalWindows());
                    evals.put(e.getKey(), nllTokens[0] / nllTokens[1]);
                    Long bytes = r.evalBytes().get(e.getKey());
                    if (bytes != null && bytes > 0) {
                        bitsPerByte.put(e.getKey(), nllTokens[0] / Math.log(2) / bytes);
                    }
                }
            }
        }
        // from the run's metrics, not this task's share of the training: a run that a killed sweep had finished but
        // not recorded trains no further here, and its figures are still the ones it ended with
        Double finalLoss = null;
        Double heldOut = null;
        for (com.fasterxml.jackson.databind.JsonNode n : dev.tokenmill.train.Metrics.read(runDir)) {
            if (n.has("loss")) {
                finalLoss = n.get("loss").asDouble();
            }
            if (n.has("eval_loss")) {
                heldOut = n.get("eval_loss").asDouble();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", r.id());
        out.put("name", r.name());
        out.put("seed", r.seed());
        out.put("data", r.data());
        if (!mixture.isEmpty()) {
            out.put("mixture", mixture);
        }
        out.put("parameters", r.model().parameterCount());
        out.put("non_embedding_parameters", r.model().nonEmbeddingParameters());
        out.put("tokens", r.tokens());
        out.put("flops", 6.0 * r.model().parameterCount() * r.tokens());
        out.put("final_loss", finalLoss);
        out.put("held_out_loss", heldOut);
        out.put("eval", evals);
        out.put("eval_bits_per_byte", bitsPerByte);
        out.put("wall_s", (System.nanoTime() - t0) / 1e9);
        out.put("config", r.config());
        write(Path.of(r.resultFile()), out);
        return out;
    }

    /**
     * The run's training windows: one table whole, or the run's budget (its training windows plus what the trainer
     * holds out) drawn from its sources in their weights; the draw's figures go to {@code mixture}.
     */
    private static PackedSamples open(SweepRun r, List<PackedSamples> opened, Map<String, Object> mixture) {
        int seqLen = r.model().seqLen();
        if (!r.mixed()) {
            PackedSamples one = PackedSamples.megatron(
                    Path.of(r.dataPrefixes().values().iterator().next()), seqLen);
            opened.add(one);
            return one;
        }
        long needed =
                (long) r.train().steps() * r.train().microBatch() * r.train().accumulation();
        boolean evaluates = r.train().evalEvery() > 0;
        long size = needed;
        while (size - SampleOrder.heldOutCount(r.train().evalSamples(), evaluates, (int) Math.min(size, 1L << 30))
                < needed) {
            size++; // at most eval_samples more
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a mix run of " + size + " windows is too large");
        }
        List<SourceMix.Source> sources = new ArrayList<>();
        for (var e : r.dataPrefixes().entrySet()) {
            PackedSamples s = PackedSamples.megatron(Path.of(e.getValue()), seqLen);
            opened.add(s);
            sources.add(new SourceMix.Source(e.getKey(), s, r.weights().get(e.getKey()), r.maxEpochs()));
        }
        SourceMix.Mixed m = SourceMix.draw(sources, (int) size, r.seed());
        for (SourceMix.Drawn d : m.drawn()) {
            mixture.put(
                    d.name(),
                    Map.of(
                            "target_share", d.targetShare(),
                            "available_windows", d.available(),
                            "windows", d.windows(),
                            "epochs", d.epochs()));
        }
        return m.samples();
    }

    /**
     * The scored windows of an evaluation table: {@code windows} windows of seq_len + 1 tokens spread evenly over it
     * (all of them when it has fewer), as context token and targets. A table in mixture order may hold long documents,
     * and its first windows alone would be one. The driver counts the targets' bytes from the same windows.
     */
    static List<int[]> evalWindows(String prefix, int seqLen, int windows) {
        List<int[]> out = new ArrayList<>();
        try (PackedSamples eval = PackedSamples.megatron(Path.of(prefix), seqLen)) {
            int n = Math.min(windows, eval.size());
            for (int i = 0; i < n; i++) {
                out.add(eval.tokens((int) ((long) i * eval.size() / n), seqLen + 1));
            }
        }
        return out;
    }

    /** Total negative log-likelihood (nats) and token count of the targets of {@link #evalWindows}. */
    static double[] windowLoss(LogLikelihood scorer, String prefix, int seqLen, int windows) {
        List<LogLikelihood.Request> requests = new ArrayList<>();
        for (int[] w : evalWindows(prefix, seqLen, windows)) {
            requests.add(new LogLikelihood.Request(new int[] {w[0]}, Arrays.copyOfRange(w, 1, w.length)));
        }
        double nll = 0;
        long tokens = 0;
        for (LogLikelihood.Score s : scorer.score(requests)) {
            nll -= s.logLikelihood();
            tokens += s.tokens();
        }
        return new double[] {nll, tokens};
    }

    private static void write(Path file, Map<String, Object> result) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.write(result));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
