package dev.tokenmill.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.ckpt.SafeTensors;
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
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The training loop of one data-parallel rank (the whole model): micro-batches with gradient accumulation, the
 * gradients flattened and summed over the data-parallel group, global-norm clipping, AdamW with warmup + cosine,
 * periodic held-out evaluation, progress lines and checkpoints. Our own loop, not DJL's Trainer: it owns the
 * optimizer state and drives backward per thread (several ranks may share one executor JVM).
 */
public final class Trainer implements AutoCloseable {
    /** What the run produced: the training loss per step (this run's steps) and the last evaluation loss. */
    public record Result(List<Double> losses, long lastStep, double evalLoss, double tokensPerSecond) {
    }

    private final ModelConfig modelConfig;
    private final TrainConfig config;
    private final PackedSamples data;
    private final SampleOrder order;
    private final Path runDir;
    private final Topology topo;
    private final Collective dp;
    private final PrintWriter log;
    private final Map<String, Object> runInfo;
    private final double peakFlops;
    private final NDManager manager;
    private final LlamaModel model;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final NDArray gradScale;
    /** fp16 runs: the fp32 master weights the optimizer updates (null in fp32 runs), and the dynamic loss scale. */
    private final Map<String, NDArray> master;
    private double lossScale;
    private long goodSteps;
    private long skippedSteps;
    static final double MAX_LOSS_SCALE = 32768;          // the scaled gradient seed must stay a finite fp16 (≤ 65504)
    static final int LOSS_SCALE_GROWTH_INTERVAL = 200;
    static final String MASTER = "master.";

    /**
     * @param runInfo recorded in every checkpoint's train state (tokenizer hash, data path…)
     * @param peakFlops one rank's hardware peak for the MFU estimate (0: the CPU estimate for this rank's threads)
     */
    public Trainer(ModelConfig modelConfig, TrainConfig config, PackedSamples data, Path runDir, Collective dp,
                   PrintWriter log, Map<String, Object> runInfo, double peakFlops, Device device) {
        this(modelConfig, config, data, runDir, Topology.dataParallel(dp), log, runInfo, peakFlops, device);
    }

    /** A rank of a dp × pp layout: it owns its stage's layers and talks to its groups through {@code topo}. */
    public Trainer(ModelConfig modelConfig, TrainConfig config, PackedSamples data, Path runDir, Topology topo,
                   PrintWriter log, Map<String, Object> runInfo, double peakFlops, Device device) {
        this.topo = topo;
        this.dp = topo.dpGroup();
        if (topo.pp() > 1 && config.recompute()) {
            throw new IllegalArgumentException("recompute is not available with pipeline parallelism (pp > 1) yet");
        }
        this.modelConfig = modelConfig.validate();
        this.config = config.validate();
        this.data = data;
        int held = Math.min(config.evalSamples(), Math.max(0, data.size() / 10));
        this.order = new SampleOrder(data.size(), config.evalEvery() > 0 ? held : 0, config.seed());
        long global = (long) config.microBatch() * config.accumulation() * dp.size();
        if (order.trainSize() < global) {
            throw new IllegalArgumentException("the data has " + order.trainSize() + " training sequences, fewer than one global"
                + " batch (" + global + " = micro_batch × grad_accum × dp)");
        }
        this.runDir = runDir;
        this.log = log;
        this.runInfo = runInfo;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        this.peakFlops = peakFlops > 0 ? peakFlops : Progress.cpuPeakFlops(JniUtils.getNumThreads());
        this.model = new LlamaModel(modelConfig, Section.of(modelConfig, topo.stage(), topo.pp()), manager, config.seed(),
            config.fp16() ? DataType.FLOAT16 : DataType.FLOAT32);
        if (config.fp16()) {
            master = new LinkedHashMap<>();
            model.parameters().forEach((k, p) -> master.put(k, p.toType(DataType.FLOAT32, false)));
            lossScale = MAX_LOSS_SCALE;
        } else {
            master = null;
            lossScale = 1;
        }
        Set<String> noDecay = model.specs().stream().filter(s -> !s.decays()).map(ParameterNames.Spec::name).collect(Collectors.toSet());
        this.optimizer = new AdamW(master != null ? master : model.parameters(), noDecay, config.beta1(), config.beta2(), config.eps(), config.weightDecay(),
            model.manager());
        this.schedule = new LrSchedule(config.lr(), config.minLr(), config.warmupSteps(), config.steps());
        this.gradScale = manager.full(new Shape(), 1f / config.accumulation(), DataType.FLOAT32, device);
    }

    public LlamaModel model() {
        return model;
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
        if (resume) {
            Optional<Path> latest = Checkpoints.latest(runDir);
            if (latest.isPresent()) {
                step = restore(latest.get());
                say(String.format("resumed from %s (step %d)", latest.get().getFileName(), step));
            }
        }
        long perStep = (long) config.microBatch() * config.accumulation() * dp.size();
        Metrics metrics = topo.globalRank() == 0 && runDir != null ? new Metrics(runDir, step) : null;
        List<Double> losses = new ArrayList<>();
        double evalLoss = Double.NaN;
        double flops = Progress.flopsPerToken(modelConfig) / topo.pp();   // a stage does its share of the layers
        long tokens = 0;
        long started = System.nanoTime();
        long windowStart = started;
        long windowTokens = 0;
        for (; step < Math.min(stop, config.steps()); step++) {
            long stepStart = System.nanoTime();
            double loss = trainStep(step, step * perStep);
            double gradNorm = lastGradNorm;
            losses.add(loss);
            long stepTokens = perStep / dp.size() * modelConfig.seqLen();
            tokens += stepTokens;
            windowTokens += stepTokens;
            long done = step + 1;
            double stepSeconds = (System.nanoTime() - stepStart) / 1e9;
            if (metrics != null) {
                metrics.add(Metrics.record("step", done, "loss", loss, "lr", schedule.at(step), "grad_norm", gradNorm,
                    "tokens_per_s", stepTokens * dp.size() / stepSeconds, "elapsed_s", (System.nanoTime() - started) / 1e9,
                    "loss_scale", lossScale, "compute_s", lastComputeSeconds, "sync_s", lastSyncSeconds,
                    "update_s", lastUpdateSeconds));
            }
            if (done % config.logEvery() == 0 || done == config.steps()) {
                double secs = (System.nanoTime() - windowStart) / 1e9;
                double tps = windowTokens / secs;         // this pipeline's; every pipeline does the same work
                double eta = (config.steps() - done) * (System.nanoTime() - started) / 1e9 / Math.max(1, losses.size());
                say(String.format("step %d/%d | loss %.4f | lr %.2e | grad norm %.3f | %,.0f tok/s | MFU %.1f%% | ETA %s",
                    done, config.steps(), loss, schedule.at(step), gradNorm, tps * dp.size(), 100 * tps * flops / peakFlops,
                    Progress.duration(eta)));
                windowStart = System.nanoTime();
                windowTokens = 0;
            }
            if (config.evalEvery() > 0 && order.heldOut() > 0 && (done % config.evalEvery() == 0 || done == config.steps())) {
                evalLoss = evaluate();
                say(String.format("eval step %d | loss %.4f | perplexity %.2f", done, evalLoss, Math.exp(evalLoss)));
                if (metrics != null) {
                    metrics.add(Metrics.record("step", done, "eval_loss", evalLoss, "eval_perplexity", Math.exp(evalLoss)));
                }
            }
            if (config.checkpointEvery() > 0 && (done % config.checkpointEvery() == 0 || done == config.steps())) {
                save(done, done * perStep);
            }
        }
        double total = (System.nanoTime() - started) / 1e9;
        return new Result(losses, step, evalLoss, tokens / Math.max(1e-9, total) * dp.size());
    }

    private double lastGradNorm;
    /**
     * Where the last step's time went (also in metrics.jsonl): forward + backward of every micro-batch (pipeline
     * sends included), the gradient path in Java (flatten, all-reduce, unscale, norm, clip), the optimizer update.
     */
    private double lastComputeSeconds;
    private double lastSyncSeconds;
    private double lastUpdateSeconds;
    private Map<String, float[]> keptGradients;

    double lossScale() {
        return lossScale;
    }

    long skippedSteps() {
        return skippedSteps;
    }

    /** Tests: start from another loss scale (to force overflows). */
    void setLossScale(double scale) {
        lossScale = scale;
    }

    /** Tests: keep each step's averaged gradient (before clipping) for {@link #lastGradients()}. */
    void keepGradients() {
        keptGradients = new LinkedHashMap<>();
    }

    /** The last step's averaged gradients of this rank's parameters, by name, if {@link #keepGradients()} was called. */
    Map<String, float[]> lastGradients() {
        return keptGradients;
    }

    /** One optimizer step over the global batch starting at position {@code consumed}; returns the mean loss. */
    double trainStep(long step, long consumed) {
        long t0 = System.nanoTime();
        for (NDArray p : model.parameters().values()) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
        int mb = config.microBatch();
        long mine = consumed + (long) dp.rank() * mb * config.accumulation();
        double lossSum = 0;
        if (topo.pp() > 1) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                lossSum = pipelineStep(mine);
            }
        } else {
            for (int micro = 0; micro < config.accumulation(); micro++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray[] batch = batch(mine + (long) micro * mb, mb, false);
                    lossSum += config.recompute() ? forwardBackwardRecomputed(batch[0], batch[1]) : forwardBackward(batch[0], batch[1]);
                }
            }
        }
        long t1 = System.nanoTime();
        lastComputeSeconds = (t1 - t0) / 1e9;
        float[] withLoss = flattenGrads();
        int gradCount = withLoss.length - 1;
        withLoss[gradCount] = (float) (lossSum / config.accumulation());
        dp.allReduceSum(withLoss);
        float inv = 1f / dp.size();
        withLoss[gradCount] *= inv;
        float unscale = (float) (inv / lossScale);
        boolean overflow = false;
        for (int i = 0; i < gradCount; i++) {
            withLoss[i] *= unscale;
            overflow |= !Float.isFinite(withLoss[i]);   // every rank of the group sees the same sums, so all agree
        }
        if (topo.pp() > 1 && modelConfig.tiedEmbeddings()) {
            sumTiedEmbedding(withLoss);
        }
        // the norm over the whole model: each stage's sum of squares (the tied table counted once), then the pipeline's
        double sumSq = 0;
        int from = topo.firstStage() || !model.parameters().containsKey(ParameterNames.EMBED) ? 0
            : Math.toIntExact(model.parameters().get(ParameterNames.EMBED).size());
        for (int i = from; i < gradCount; i++) {
            sumSq += (double) withLoss[i] * withLoss[i];
        }
        if (topo.pp() > 1) {
            float[] shared = {(float) sumSq, topo.lastStage() ? withLoss[gradCount] : 0f, overflow ? 1f : 0f};
            topo.ppGroup().allReduceSum(shared);
            sumSq = shared[0];
            withLoss[gradCount] = shared[1];      // the loss is known on the last stage only
            overflow = shared[2] > 0 || !Double.isFinite(sumSq);
        }
        lastGradNorm = Math.sqrt(sumSq);
        if (master != null) {
            // dynamic loss scaling: an overflow skips the update and halves the scale; a run of good steps doubles it
            if (overflow) {
                lossScale = Math.max(1, lossScale / 2);
                goodSteps = 0;
                skippedSteps++;
                lastSyncSeconds = (System.nanoTime() - t1) / 1e9;
                lastUpdateSeconds = 0;
                return withLoss[gradCount];
            }
            if (++goodSteps % LOSS_SCALE_GROWTH_INTERVAL == 0 && lossScale < MAX_LOSS_SCALE) {
                lossScale *= 2;
            }
        }
        if (keptGradients != null) {
            int at = 0;
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                int n = Math.toIntExact(e.getValue().size());
                keptGradients.put(e.getKey(), java.util.Arrays.copyOfRange(withLoss, at, at + n));
                at += n;
            }
        }
        if (config.gradClip() > 0 && lastGradNorm > config.gradClip()) {
            float c = (float) (config.gradClip() / (lastGradNorm + 1e-6));
            for (int i = 0; i < gradCount; i++) {
                withLoss[i] *= c;
            }
        }
        long t2 = System.nanoTime();
        lastSyncSeconds = (t2 - t1) / 1e9;
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Map<String, NDArray> grads = new LinkedHashMap<>();
            int at = 0;
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                int n = Math.toIntExact(e.getValue().size());
                grads.put(e.getKey(), manager.create(FloatBuffer.wrap(withLoss, at, n), e.getValue().getShape()));
                at += n;
            }
            if (master != null) {
                optimizer.update(master, grads, schedule.at(step));
                master.forEach((k, m) -> model.setValues(model.parameters().get(k), m.toFloatArray()));
            } else {
                optimizer.update(model.parameters(), grads, schedule.at(step));
            }
        } finally {
            JniUtils.setGradMode(true);
        }
        lastUpdateSeconds = (System.nanoTime() - t2) / 1e9;
        return withLoss[gradCount];
    }

    /**
     * This stage's part of one step over {@code accumulation} micro-batches, GPipe (all forwards, then all backwards)
     * or 1F1B (warm-up forwards, then one forward and one backward in turn, which bounds the activations held to the
     * number of stages). A stage's input gradient goes back to the previous stage; the tied embedding's two copies
     * get their gradients summed after the step. Returns the summed micro-batch losses (last stage) or 0.
     */
    private double pipelineStep(long mine) {
        int m = config.accumulation();
        int mb = config.microBatch();
        NDArray[] inputs = new NDArray[m];
        NDArray[] outputs = new NDArray[m];
        double[] lossSum = {0};
        java.util.function.IntConsumer forward = i -> {
            NDArray[] batch = batch(mine + (long) i * mb, mb, false);
            NDArray x;
            if (topo.firstStage()) {
                x = batch[0];
            } else {
                x = fromFloats(topo.pipe().receiveForward(), new Shape(mb, modelConfig.seqLen(), modelConfig.dModel()));
                x.setRequiresGradient(true);
            }
            NDArray y = model.forward(x);
            if (topo.lastStage()) {
                y = LlamaModel.loss(y, batch[1]);
                lossSum[0] += floatOf(y);
            } else {
                topo.pipe().sendForward(toFloats(y));
            }
            inputs[i] = x;
            outputs[i] = y;
        };
        java.util.function.IntConsumer backward = i -> {
            if (topo.lastStage()) {
                JniUtils.backward((PtNDArray) outputs[i], (PtNDArray) gradSeed(), false, false);
            } else {
                NDArray g = fromFloats(topo.pipe().receiveBackward(), outputs[i].getShape());
                JniUtils.backward((PtNDArray) outputs[i], (PtNDArray) g, false, false);
            }
            if (!topo.firstStage()) {
                topo.pipe().sendBackward(toFloats(inputs[i].getGradient()));
            }
        };
        if (topo.schedule() == Topology.Schedule.GPIPE) {
            for (int i = 0; i < m; i++) {
                forward.accept(i);
            }
            for (int i = 0; i < m; i++) {
                backward.accept(i);
            }
        } else {
            int warm = Math.min(topo.pp() - topo.stage() - 1, m);
            for (int i = 0; i < warm; i++) {
                forward.accept(i);
            }
            for (int i = warm; i < m; i++) {
                forward.accept(i);
                backward.accept(i - warm);
            }
            for (int i = m - warm; i < m; i++) {
                backward.accept(i);
            }
        }
        topo.pipe().flush();
        return lossSum[0];
    }

    /** The gradient fed to backward at the loss: 1/accum, times the loss scale in fp16 runs (in the model's type). */
    private NDArray gradSeed() {
        if (master == null) {
            return gradScale;
        }
        return manager.full(new Shape(), (float) (lossScale / config.accumulation()), model.dtype(), manager.getDevice());
    }

    private static float[] toFloats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
        }
    }

    private static float floatOf(NDArray scalar) {
        return toFloats(scalar)[0];
    }

    /** Received values in the model's type, as a leaf (a stage input or a gradient from the next stage). */
    private NDArray fromFloats(float[] values, Shape shape) {
        NDArray a = manager.create(values, shape);
        return model.dtype() == DataType.FLOAT32 ? a : a.toType(model.dtype(), false);
    }

    /** The first and last stage each hold the tied table: both must step with the sum of their gradients. */
    private void sumTiedEmbedding(float[] grads) {
        int n = Math.toIntExact((long) modelConfig.vocabSize() * modelConfig.dModel());
        boolean holds = model.parameters().containsKey(ParameterNames.EMBED);
        float[] part = holds ? java.util.Arrays.copyOf(grads, n) : new float[n];   // the table is the first tensor
        topo.ppGroup().allReduceSum(part);
        if (holds) {
            System.arraycopy(part, 0, grads, 0, n);
        }
    }

    private double forwardBackward(NDArray input, NDArray targets) {
        NDArray loss = LlamaModel.loss(model.forward(input), targets);
        JniUtils.backward((PtNDArray) loss, (PtNDArray) gradSeed(), false, false);
        return floatOf(loss);
    }

    /**
     * Activation recompute: a no-grad forward keeps only each layer's input; backward then walks down the layers,
     * recomputing one layer with grad at a time and passing the input's gradient to the layer below.
     */
    private double forwardBackwardRecomputed(NDArray input, NDArray targets) {
        List<NDArray> inputs = new ArrayList<>();
        JniUtils.setGradMode(false);
        NDArray h;
        try {
            h = model.embed(input);
            for (int i = 0; i < modelConfig.layers(); i++) {
                inputs.add(h);
                h = model.block(h, i);
            }
        } finally {
            JniUtils.setGradMode(true);
        }
        h.setRequiresGradient(true);
        NDArray loss = LlamaModel.loss(model.logits(h), targets);
        JniUtils.backward((PtNDArray) loss, (PtNDArray) gradSeed(), false, false);
        NDArray upstream = h.getGradient().duplicate();
        for (int i = modelConfig.layers() - 1; i >= 0; i--) {
            NDArray x = inputs.get(i);
            x.setRequiresGradient(true);
            NDArray y = model.block(x, i);
            JniUtils.backward((PtNDArray) y, (PtNDArray) upstream, false, false);
            upstream = x.getGradient().duplicate();
        }
        NDArray e = model.embed(input);
        JniUtils.backward((PtNDArray) e, (PtNDArray) upstream, false, false);
        return floatOf(loss);
    }

    /** The gradients end to end, plus one free slot at the end for the loss (all-reduced together). */
    private float[] flattenGrads() {
        long total = 1;
        for (NDArray p : model.parameters().values()) {
            total += p.size();
        }
        float[] flat = new float[Math.toIntExact(total)];
        int at = 0;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (NDArray p : model.parameters().values()) {
                float[] g = toFloats(p.getGradient());
                System.arraycopy(g, 0, flat, at, g.length);
                at += g.length;
            }
        }
        return flat;
    }

    /** Inputs {@code [n, T]} and targets (shifted by one), int64, for global positions {@code from .. from+n}. */
    private NDArray[] batch(long from, int n, boolean heldOut) {
        int t = modelConfig.seqLen();
        long[] in = new long[n * t];
        long[] out = new long[n * t];
        for (int j = 0; j < n; j++) {
            int sample = heldOut ? order.heldOutSample((int) from + j) : order.at(from + j);
            int[] tokens = data.tokens(sample, t + 1);
            for (int k = 0; k < t; k++) {
                in[j * t + k] = tokens[k];
                out[j * t + k] = tokens[k + 1];
            }
        }
        return new NDArray[] {manager.create(in, new Shape(n, t)), manager.create(out, new Shape(n, t))};
    }

    /** Mean loss over the held-out samples, split across the data-parallel ranks. */
    public double evaluate() {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            double sum = 0;
            int count = 0;
            int mb = config.microBatch();
            for (int from = dp.rank() * mb; from < order.heldOut(); from += mb * dp.size()) {
                int n = Math.min(mb, order.heldOut() - from);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray[] batch = batch(from, n, true);
                    NDArray x = batch[0];
                    if (!topo.firstStage()) {
                        x = fromFloats(topo.pipe().receiveForward(), new Shape(n, modelConfig.seqLen(), modelConfig.dModel()));
                    }
                    NDArray y = model.forward(x);
                    if (topo.lastStage()) {
                        sum += floatOf(LlamaModel.loss(y, batch[1])) * n;
                    } else {
                        topo.pipe().sendForward(toFloats(y));
                    }
                    count += n;
                }
            }
            if (topo.pipe() != null) {
                topo.pipe().flush();
            }
            float[] both = {topo.lastStage() ? (float) sum : 0f, topo.lastStage() ? count : 0};
            dp.allReduceSum(both);
            topo.ppGroup().allReduceSum(both);
            return both[0] / both[1];
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private void save(long step, long consumed) {
        List<ParameterNames.Spec> specs = model.specs().stream()
            .filter(sp -> topo.firstStage() || !sp.name().equals(ParameterNames.EMBED))   // a tied copy is written once
            .toList();
        int writers = dp.size() * topo.pp();
        Map<String, SafeTensors.Tensor> weights = new LinkedHashMap<>();
        Map<String, SafeTensors.Tensor> moments = new LinkedHashMap<>();
        Map<String, NDArray> state = optimizer.state();
        for (int i = 0; i < specs.size(); i++) {
            if (i % dp.size() != dp.rank()) {
                continue;                      // within a stage, rank r writes every dp-th tensor: shards of similar size
            }
            ParameterNames.Spec s = specs.get(i);
            NDArray value = master != null ? master.get(s.name()) : model.parameters().get(s.name());
            weights.put(s.name(), SafeTensors.of(s.shape(), value.toFloatArray()));
            if (master != null) {
                moments.put(MASTER + s.name(), SafeTensors.of(s.shape(), value.toFloatArray()));
            }
            moments.put(AdamW.M + s.name(), SafeTensors.of(s.shape(), state.get(AdamW.M + s.name()).toFloatArray()));
            moments.put(AdamW.V + s.name(), SafeTensors.of(s.shape(), state.get(AdamW.V + s.name()).toFloatArray()));
        }
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("step", step);
        train.put("consumed_samples", consumed);
        train.put("lr_step", step);
        train.put("optimizer_step", optimizer.step());
        train.put("loss_scale", lossScale);
        train.put("loss_scale_good_steps", goodSteps);
        train.put("skipped_steps", skippedSteps);
        train.put("precision", config.fp16() ? "fp16" : "fp32");
        train.put("seed", config.seed());
        train.put("world", Map.of("dp", dp.size(), "pp", topo.pp()));
        train.put("model", modelConfig.toHuggingFace());
        train.put("train", config.toMap());
        train.putAll(runInfo);
        Checkpoints.save(runDir, step, topo.globalRank(), writers, weights, moments, modelConfig.toHuggingFace(), train,
            config.keepCheckpoints(), topo.world());
        say("checkpoint " + Checkpoints.dirName(step));
    }

    private long restore(Path checkpoint) {
        Map<String, Object> state = Checkpoints.state(checkpoint);
        ModelConfig saved = ModelConfig.fromHuggingFace(Checkpoints.hfConfig(checkpoint));
        if (!saved.equals(modelConfig)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint.getFileName() + " was written for another model shape: "
                + saved + " vs " + modelConfig);
        }
        List<String> names = model.specs().stream().map(ParameterNames.Spec::name).toList();
        Map<String, float[]> weights = Checkpoints.read(checkpoint, "model", names);   // fp32 (master weights in fp16 runs)
        model.load(weights);
        if (master != null) {
            JniUtils.setGradMode(false);
            try {
                master.forEach((k, m) -> m.set(weights.get(k)));
            } finally {
                JniUtils.setGradMode(true);
            }
            lossScale = state.get("loss_scale") instanceof Number n ? n.doubleValue() : MAX_LOSS_SCALE;
            goodSteps = state.get("loss_scale_good_steps") instanceof Number n ? n.longValue() : 0;
            skippedSteps = state.get("skipped_steps") instanceof Number n ? n.longValue() : 0;
        }
        List<String> moments = new ArrayList<>();
        names.forEach(n -> {
            moments.add(AdamW.M + n);
            moments.add(AdamW.V + n);
        });
        JniUtils.setGradMode(false);
        try {
            optimizer.load(Checkpoints.read(checkpoint, "optimizer", moments), ((Number) state.get("optimizer_step")).longValue());
        } finally {
            JniUtils.setGradMode(true);
        }
        long step = ((Number) state.get("step")).longValue();
        long perStep = (long) config.microBatch() * config.accumulation() * dp.size();
        long consumed = ((Number) state.get("consumed_samples")).longValue();
        if (consumed != step * perStep) {
            throw new IllegalArgumentException("checkpoint consumed " + consumed + " samples in " + step + " steps; this run's "
                + "global batch is " + perStep + ": resume with the same global batch (micro_batch × grad_accum × dp)");
        }
        return step;
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
