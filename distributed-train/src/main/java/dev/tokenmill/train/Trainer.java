package dev.tokenmill.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.data.PackedSamples;
import dev.tokenmill.train.data.SampleOrder;
import dev.tokenmill.train.dist.Collective;
import dev.tokenmill.train.dist.Topology;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.ParameterNames;
import dev.tokenmill.train.model.Section;
import dev.tokenmill.train.optim.AdamW;
import dev.tokenmill.train.optim.LrSchedule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The training loop of one rank, read top to bottom like nanoGPT's {@code train.py}: per step, the micro-batches'
 * forwards and backwards ({@link StepCompute}: whole model, recompute or a pipeline stage), the gradients made
 * global ({@link GradientSync}), dynamic loss scaling ({@link LossScaler}), clipping and AdamW with warmup + cosine;
 * between steps, progress lines and metrics, held-out evaluation ({@link Evaluator}) and checkpoints
 * ({@link TrainCheckpoint}). Our own loop, not DJL's Trainer: it owns the optimizer state and drives backward per
 * thread (several ranks may share one executor JVM).
 */
public final class Trainer implements AutoCloseable {
    /** What the run produced: the training loss per step (this run's steps) and the last evaluation loss. */
    public record Result(List<Double> losses, long lastStep, double evalLoss, double tokensPerSecond) {}

    static final double MAX_LOSS_SCALE = LossScaler.MAX;

    private final ModelConfig modelConfig;
    private final TrainConfig config;
    private final Path runDir;
    private final Topology topo;
    private final PrintWriter log;
    private final double peakFlops;
    private final NDManager manager;
    private final LlamaModel model;
    /** fp16 runs: the fp32 master weights the optimizer updates (null in fp32 runs). */
    private final Map<String, NDArray> master;

    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final LossScaler scaler;
    private final StepCompute compute;
    private final GradientSync gradients;
    private final Evaluator evaluator;
    private final TrainCheckpoint checkpoint;
    private final SampleOrder order;
    private StepStats last = new StepStats(0, 0, 0, 0);
    private Map<String, float[]> keptGradients;

    /** Where a step's time went (also in metrics.jsonl): forwards and backwards, the gradient path, the update. */
    private record StepStats(double gradNorm, double computeSeconds, double syncSeconds, double updateSeconds) {}

    /**
     * @param runInfo recorded in every checkpoint's train state (tokenizer hash, data path…)
     * @param peakFlops one rank's hardware peak for the MFU estimate (0: the CPU estimate for this rank's threads)
     */
    public Trainer(
            ModelConfig modelConfig,
            TrainConfig config,
            PackedSamples data,
            Path runDir,
            Collective dp,
            PrintWriter log,
            Map<String, Object> runInfo,
            double peakFlops,
            Device device) {
        this(modelConfig, config, data, runDir, Topology.dataParallel(dp), log, runInfo, peakFlops, device);
    }

    /** A rank of a dp × pp layout: it owns its stage's layers and talks to its groups through {@code topo}. */
    public Trainer(
            ModelConfig modelConfig,
            TrainConfig config,
            PackedSamples data,
            Path runDir,
            Topology topo,
            PrintWriter log,
            Map<String, Object> runInfo,
            double peakFlops,
            Device device) {
        if (topo.pp() > 1 && config.recompute()) {
            throw new IllegalArgumentException("recompute is not available with pipeline parallelism (pp > 1) yet");
        }
        this.topo = topo;
        this.modelConfig = modelConfig.validate();
        this.config = config.validate();
        this.order = new SampleOrder(
                data.size(),
                SampleOrder.heldOutCount(config.evalSamples(), config.evalEvery() > 0, data.size()),
                config.seed());
        if (order.trainSize() < globalBatch()) {
            throw new IllegalArgumentException(
                    "the data has " + order.trainSize() + " training sequences, fewer than one global" + " batch ("
                            + globalBatch() + " = micro_batch × grad_accum × dp)");
        }
        this.runDir = runDir;
        this.log = log;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        this.peakFlops = peakFlops > 0 ? peakFlops : Progress.cpuPeakFlops(JniUtils.getNumThreads());
        this.model = new LlamaModel(
                modelConfig,
                Section.of(modelConfig, topo.stage(), topo.pp()),
                manager,
                config.seed(),
                config.fp16() ? DataType.FLOAT16 : DataType.FLOAT32);
        this.master = config.fp16() ? new LinkedHashMap<>() : null;
        if (master != null) {
            model.parameters().forEach((k, p) -> master.put(k, p.toType(DataType.FLOAT32, false)));
        }
        Set<String> noDecay = model.specs().stream()
                .filter(s -> !s.decays())
                .map(ParameterNames.Spec::name)
                .collect(Collectors.toSet());
        this.optimizer = new AdamW(
                master != null ? master : model.parameters(),
                noDecay,
                config.beta1(),
                config.beta2(),
                config.eps(),
                config.weightDecay(),
                model.manager());
        this.schedule = new LrSchedule(config.lr(), config.minLr(), config.warmupSteps(), config.steps());
        this.scaler = new LossScaler(config.fp16());
        Batches batches = new Batches(data, order, modelConfig.seqLen(), manager);
        this.compute = new StepCompute(model, config, topo, batches, manager);
        this.gradients = new GradientSync(model, topo, manager);
        this.evaluator = new Evaluator(model, topo, batches, compute, config.microBatch());
        this.checkpoint = new TrainCheckpoint(model, optimizer, master, scaler, config, topo, runDir, runInfo);
    }

    /**
     * Commits every checkpoint to a remote run folder as well; the trainer's run folder is then this machine's
     * staging folder, pulled from the remote one before the trainer was made.
     */
    public Trainer mirrorTo(dev.tokenmill.train.ckpt.RemoteRunFolder remote) {
        checkpoint.mirrorTo(remote);
        return this;
    }

    public LlamaModel model() {
        return model;
    }

    private long globalBatch() {
        return (long) config.microBatch()
                * config.accumulation()
                * topo.dpGroup().size();
    }

    /** Trains to {@code config.steps()}; with {@code resume}, continues from the latest complete checkpoint if any. */
    public Result run(boolean resume) {
        return run(resume, config.steps());
    }

    /** Trains from scratch and stops after step {@code stop} (< steps): what a killed run leaves behind. */
    public Result runUntil(long stop) {
        return run(false, stop);
    }

    private Result run(boolean resume, long stop) {
        JniUtils.setGradMode(true);
        long step = 0;
        Optional<Path> latest = resume ? Checkpoints.latest(runDir) : Optional.empty();
        if (latest.isPresent()) {
            step = checkpoint.restore(latest.get());
            say(String.format("resumed from %s (step %d)", latest.get().getFileName(), step));
        }
        int dp = topo.dpGroup().size();
        Metrics metrics = topo.globalRank() == 0 && runDir != null ? new Metrics(runDir, step) : null;
        List<Double> losses = new ArrayList<>();
        double evalLoss = Double.NaN;
        double flops = Progress.flopsPerToken(modelConfig) / topo.pp(); // a stage does its share of the layers
        long stepTokens = globalBatch() / dp * modelConfig.seqLen();
        long started = System.nanoTime();
        long windowStart = started;
        long windowTokens = 0;
        for (; step < Math.min(stop, config.steps()); step++) {
            long stepStart = System.nanoTime();
            double loss = trainStep(step, step * globalBatch());
            losses.add(loss);
            windowTokens += stepTokens;
            long done = step + 1;
            if (metrics != null) {
                metrics.add(Metrics.record(
                        "step",
                        done,
                        "loss",
                        loss,
                        "lr",
                        schedule.at(step),
                        "grad_norm",
                        last.gradNorm(),
                        "tokens_per_s",
                        stepTokens * dp / ((System.nanoTime() - stepStart) / 1e9),
                        "elapsed_s",
                        (System.nanoTime() - started) / 1e9,
                        "loss_scale",
                        scaler.scale(),
                        "compute_s",
                        last.computeSeconds(),
                        "sync_s",
                        last.syncSeconds(),
                        "update_s",
                        last.updateSeconds()));
            }
            if (done % config.logEvery() == 0 || done == config.steps()) {
                double tps =
                        windowTokens / ((System.nanoTime() - windowStart) / 1e9); // this pipeline's; all do the same
                double eta = (config.steps() - done) * (System.nanoTime() - started) / 1e9 / Math.max(1, losses.size());
                say(String.format(
                        "step %d/%d | loss %.4f | lr %.2e | grad norm %.3f | %,.0f tok/s | MFU %.1f%% | ETA %s",
                        done,
                        config.steps(),
                        loss,
                        schedule.at(step),
                        last.gradNorm(),
                        tps * dp,
                        100 * tps * flops / peakFlops,
                        Progress.duration(eta)));
                windowStart = System.nanoTime();
                windowTokens = 0;
            }
            if (config.evalEvery() > 0
                    && order.heldOut() > 0
                    && (done % config.evalEvery() == 0 || done == config.steps())) {
                evalLoss = evaluate();
                say(String.format("eval step %d | loss %.4f | perplexity %.2f", done, evalLoss, Math.exp(evalLoss)));
                if (metrics != null) {
                    metrics.add(
                            Metrics.record("step", done, "eval_loss", evalLoss, "eval_perplexity", Math.exp(evalLoss)));
                }
            }
            if (config.checkpointEvery() > 0 && (done % config.checkpointEvery() == 0 || done == config.steps())) {
                checkpoint.save(done);
                say("checkpoint " + Checkpoints.dirName(done));
            }
        }
        double total = (System.nanoTime() - started) / 1e9;
        return new Result(losses, step, evalLoss, losses.size() * stepTokens / Math.max(1e-9, total) * dp);
    }

    /** One optimizer step over the global batch starting at position {@code consumed}; returns the mean loss. */
    double trainStep(long step, long consumed) {
        long t0 = System.nanoTime();
        for (NDArray p : model.parameters().values()) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
        long mine = consumed + (long) topo.dpGroup().rank() * config.microBatch() * config.accumulation();
        double lossSum = compute.run(mine, scaler.scale());
        long t1 = System.nanoTime();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            GradientSync.Synced synced = gradients.sync((float) (lossSum / config.accumulation()), scaler.scale());
            if (scaler.skip(synced.overflow())) { // fp16: an overflow skips the update and lowers the scale
                last = new StepStats(synced.norm(), (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9, 0);
                return synced.loss();
            }
            if (keptGradients != null) {
                synced.grads().forEach((k, g) -> keptGradients.put(k, g.toFloatArray()));
            }
            Map<String, NDArray> grads = gradients.clipped(synced, config.gradClip());
            long t2 = System.nanoTime();
            update(grads, schedule.at(step));
            last = new StepStats(synced.norm(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
            return synced.loss();
        }
    }

    /** AdamW on the parameters, or on the fp32 master weights, copied into the fp16 model afterwards. */
    private void update(Map<String, NDArray> grads, double lr) {
        JniUtils.setGradMode(false);
        try {
            if (master != null) {
                optimizer.update(master, grads, lr);
                master.forEach((k, m) -> model.setValues(model.parameters().get(k), m.toFloatArray()));
            } else {
                optimizer.update(model.parameters(), grads, lr);
            }
        } finally {
            JniUtils.setGradMode(true);
        }
    }

    /** Mean loss over the held-out samples, split across the data-parallel ranks. */
    public double evaluate() {
        return evaluator.evaluate();
    }

    double lossScale() {
        return scaler.scale();
    }

    long skippedSteps() {
        return scaler.skippedSteps();
    }

    /** Tests: start from another loss scale (to force overflows). */
    void setLossScale(double scale) {
        scaler.setScale(scale);
    }

    /** Tests: keep each step's averaged gradient (before clipping) for {@link #lastGradients()}. */
    void keepGradients() {
        keptGradients = new LinkedHashMap<>();
    }

    /** The last step's averaged gradients of this rank's parameters, by name, if {@link #keepGradients()} was called. */
    Map<String, float[]> lastGradients() {
        return keptGradients;
    }

    private void say(String line) {
        if (topo.globalRank() == 0 && log != null) {
            log.println(line);
            log.flush();
        }
    }

    @Override
    public void close() {
        model.close();
        manager.close();
    }
}
