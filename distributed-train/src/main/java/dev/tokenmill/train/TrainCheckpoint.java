package dev.tokenmill.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.ckpt.SafeTensors;
import dev.tokenmill.train.dist.Topology;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.ParameterNames;
import dev.tokenmill.train.optim.AdamW;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoint I/O of one rank: its shard of the weights (fp32; the master weights in fp16 runs) and AdamW moments,
 * the train state (step, samples consumed, optimizer step, loss scale, settings, run info) and, on restore, the
 * check that the checkpoint fits this run's model shape and global batch.
 */
final class TrainCheckpoint {
    static final String MASTER = "master.";

    private final LlamaModel model;
    private final AdamW optimizer;
    private final Map<String, NDArray> master;
    private final LossScaler scaler;
    private final TrainConfig config;
    private final Topology topo;
    private final Path runDir;
    private final Map<String, Object> runInfo;
    private dev.tokenmill.train.ckpt.RemoteRunFolder remote;

    /** {@code master}: the fp32 master weights of an fp16 run, else null. */
    TrainCheckpoint(
            LlamaModel model,
            AdamW optimizer,
            Map<String, NDArray> master,
            LossScaler scaler,
            TrainConfig config,
            Topology topo,
            Path runDir,
            Map<String, Object> runInfo) {
        this.model = model;
        this.optimizer = optimizer;
        this.master = master;
        this.scaler = scaler;
        this.config = config;
        this.topo = topo;
        this.runDir = runDir;
        this.runInfo = runInfo;
    }

    /** Commits every checkpoint to this remote run folder too ({@code runDir} is then the staging folder). */
    void mirrorTo(dev.tokenmill.train.ckpt.RemoteRunFolder remote) {
        this.remote = remote;
    }

    private long globalBatch() {
        return (long) config.microBatch()
                * config.accumulation()
                * topo.dpGroup().size();
    }

    void save(long step) {
        int dpSize = topo.dpGroup().size();
        List<ParameterNames.Spec> specs = model.specs().stream()
                .filter(sp ->
                        topo.firstStage() || !sp.name().equals(ParameterNames.EMBED)) // a tied copy is written once
                .toList();
        Map<String, SafeTensors.Tensor> weights = new LinkedHashMap<>();
        Map<String, SafeTensors.Tensor> moments = new LinkedHashMap<>();
        Map<String, NDArray> state = optimizer.state();
        for (int i = 0; i < specs.size(); i++) {
            if (i % dpSize != topo.dpGroup().rank()) {
                continue; // within a stage, rank r writes every dp-th tensor: shards of similar size
            }
            ParameterNames.Spec s = specs.get(i);
            NDArray value =
                    master != null ? master.get(s.name()) : model.parameters().get(s.name());
            weights.put(s.name(), SafeTensors.of(s.shape(), value.toFloatArray()));
            if (master != null) {
                moments.put(MASTER + s.name(), SafeTensors.of(s.shape(), value.toFloatArray()));
            }
            moments.put(
                    AdamW.M + s.name(),
                    SafeTensors.of(s.shape(), state.get(AdamW.M + s.name()).toFloatArray()));
            moments.put(
                    AdamW.V + s.name(),
                    SafeTensors.of(s.shape(), state.get(AdamW.V + s.name()).toFloatArray()));
        }
        ModelConfig shape = model.config();
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("step", step);
        train.put("consumed_samples", step * globalBatch());
        train.put("lr_step", step);
        train.put("optimizer_step", optimizer.step());
        train.putAll(scaler.state());
        train.put("precision", config.fp16() ? "fp16" : "fp32");
        train.put("seed", config.seed());
        train.put("world", Map.of("dp", dpSize, "pp", topo.pp()));
        train.put("model", shape.toHuggingFace());
        train.put("train", config.toMap());
        train.putAll(runInfo);
        Checkpoints.save(
                runDir,
                step,
                topo.globalRank(),
                dpSize * topo.pp(),
                weights,
                moments,
                shape.toHuggingFace(),
                train,
                config.keepCheckpoints(),
                topo.world(),
                remote);
    }

    /** Loads this rank's part of {@code checkpoint}; returns its step. */
    long restore(Path checkpoint) {
        Map<String, Object> state = Checkpoints.state(checkpoint);
        ModelConfig saved = ModelConfig.fromHuggingFace(Checkpoints.hfConfig(checkpoint));
        if (!saved.equals(model.config())) {
            throw new IllegalArgumentException("checkpoint " + checkpoint.getFileName()
                    + " was written for another model shape: " + saved + " vs " + model.config());
        }
        List<String> names =
                model.specs().stream().map(ParameterNames.Spec::name).toList();
        Map<String, float[]> weights =
                Checkpoints.read(checkpoint, "model", names); // fp32 (master weights in fp16 runs)
        model.load(weights);
        List<String> moments = new ArrayList<>();
        names.forEach(n -> {
            moments.add(AdamW.M + n);
            moments.add(AdamW.V + n);
        });
        JniUtils.setGradMode(false);
        try {
            if (master != null) {
                master.forEach((k, m) -> m.set(weights.get(k)));
            }
            optimizer.load(
                    Checkpoints.read(checkpoint, "optimizer", moments),
                    ((Number) state.get("optimizer_step")).longValue());
        } finally {
            JniUtils.setGradMode(true);
        }
        scaler.restore(state);
        long step = ((Number) state.get("step")).longValue();
        long consumed = ((Number) state.get("consumed_samples")).longValue();
        if (consumed != step * globalBatch()) {
            throw new IllegalArgumentException("checkpoint consumed " + consumed + " samples in " + step
                    + " steps; this run's " + "global batch is " + globalBatch()
                    + ": resume with the same global batch (micro_batch × grad_accum × dp)");
        }
        return step;
    }
}
