package dev.tokenmill.jobs.train;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.train.TrainConfig;
import dev.tokenmill.train.dist.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a {@code pretrain} step (recipe params, or {@code --param key=value} on the command line), flat
 * like nanoGPT's config: the model shape, the optimisation and the layout. The vocabulary comes from the
 * tokenizer; {@code seq_len} defaults to the packed length of the input table.
 */
public record PretrainStep(
        int layers,
        int dModel,
        int heads,
        int kvHeads,
        int ffn,
        Integer seqLen,
        boolean tied,
        TrainConfig train,
        int dp,
        int pp,
        Topology.Schedule schedule,
        int threadsPerTask,
        double peakTflops) {

    private static final TrainConfig D = TrainConfig.defaults();
    static final Param<Integer> LAYERS = Param.integer("layers", 4, 1, 1024, "decoder layers");
    static final Param<Integer> D_MODEL = Param.integer("d_model", 128, 8, 1 << 16, "model width");
    static final Param<Integer> HEADS = Param.integer("heads", 4, 1, 1024, "attention heads");
    static final Param<Integer> KV_HEADS = Param.optionalInteger(
                    "kv_heads", 1, 1024, "key/value heads (grouped-query attention)")
            .defaultText("heads");
    static final Param<Integer> FFN =
            Param.integer("ffn", 0, 0, 1 << 20, "SwiGLU hidden width (0: 8/3 · d_model rounded up)");
    static final Param<Integer> SEQ_LEN =
            Param.integer("seq_len", 0, 0, 1 << 20, "context length (0: the packed length of the input table)");
    static final Param<Boolean> TIED_EMBEDDINGS =
            Param.bool("tied_embeddings", true, "output layer shares the embedding");
    static final Param<Integer> STEPS = Param.integer("steps", 200, 1, Integer.MAX_VALUE, "optimizer steps");
    static final Param<Integer> MICRO_BATCH =
            Param.integer("micro_batch", 8, 1, 1 << 16, "samples per rank per micro-batch");
    static final Param<Integer> GRAD_ACCUM = Param.integer("grad_accum", 1, 1, 1 << 16, "micro-batches per step");
    static final Param<Double> LR = Param.number("lr", D.lr(), 1e-9, 10, "peak learning rate (AdamW)");
    static final Param<Double> MIN_LR =
            Param.number("min_lr", D.minLr(), 0, 10, "learning rate at the end of the cosine decay");
    static final Param<Integer> WARMUP_STEPS =
            Param.integer("warmup_steps", D.warmupSteps(), 0, Integer.MAX_VALUE, "linear warm-up steps");
    static final Param<Double> WEIGHT_DECAY =
            Param.number("weight_decay", D.weightDecay(), 0, 10, "AdamW weight decay (matrices only)");
    static final Param<Double> GRAD_CLIP =
            Param.number("grad_clip", D.gradClip(), 0, 1e6, "global gradient-norm clip (0: none)");
    static final Param<Integer> EVAL_EVERY = Param.integer(
            "eval_every",
            D.evalEvery(),
            0,
            Integer.MAX_VALUE,
            "steps between held-out evaluations (0: only at the end)");
    static final Param<Integer> EVAL_SAMPLES =
            Param.integer("eval_samples", D.evalSamples(), 0, 1 << 20, "held-out samples");
    static final Param<Integer> CHECKPOINT_EVERY = Param.integer(
            "checkpoint_every",
            D.checkpointEvery(),
            0,
            Integer.MAX_VALUE,
            "steps between checkpoints (0: only at the end)");
    static final Param<Integer> KEEP_CHECKPOINTS = Param.integer(
            "keep_checkpoints",
            D.keepCheckpoints(),
            1,
            1000,
            "checkpoints kept (older ones are deleted by the run that wrote them)");
    static final Param<Integer> LOG_EVERY = Param.integer(
                    "log_every", D.logEvery(), 1, 1 << 20, "steps between log lines")
            .notInOutput();
    static final Param<Boolean> RECOMPUTE =
            Param.bool("recompute", false, "activation recomputation (less memory, ~1.3x compute)");
    static final Param<String> PRECISION = Param.oneOf(
            "precision",
            "fp32",
            List.of("fp32", "fp16"),
            "fp16: half-precision weights copy with dynamic loss scaling, fp32 master weights");
    static final Param<Integer> DP = Param.integer("dp", 1, 1, 4096, "data-parallel ranks");
    static final Param<Integer> PP = Param.integer("pp", 1, 1, 1024, "pipeline stages");
    static final Param<String> SCHEDULE =
            Param.oneOf("schedule", "1f1b", List.of("1f1b", "gpipe"), "pipeline schedule");
    static final Param<Integer> THREADS_PER_TASK = Param.integer(
                    "threads_per_task", 0, 0, 1024, "intra-op threads per rank (0: cores / ranks)")
            .notInOutput();
    static final Param<Double> PEAK_TFLOPS = Param.number(
                    "peak_tflops", 0, 0, 1e6, "measured peak of the machine, for the MFU figure (0: not reported)")
            .notInOutput();
    public static final ParamSet PARAMS = new ParamSet(
            "pretrain",
            LAYERS,
            D_MODEL,
            HEADS,
            KV_HEADS,
            FFN,
            SEQ_LEN,
            TIED_EMBEDDINGS,
            STEPS,
            MICRO_BATCH,
            GRAD_ACCUM,
            LR,
            MIN_LR,
            WARMUP_STEPS,
            WEIGHT_DECAY,
            GRAD_CLIP,
            EVAL_EVERY,
            EVAL_SAMPLES,
            CHECKPOINT_EVERY,
            KEEP_CHECKPOINTS,
            LOG_EVERY,
            RECOMPUTE,
            PRECISION,
            DP,
            PP,
            SCHEDULE,
            THREADS_PER_TASK,
            PEAK_TFLOPS);

    /** Parses and checks the settings (recipe params or --param pairs); {@code seed} comes from the recipe. */
    public static PretrainStep parse(Map<String, Object> values, long seed) {
        return of(PARAMS.parse(values), seed);
    }

    public static PretrainStep of(ParamValues p, long seed) {
        int dModel = p.get(D_MODEL);
        int heads = p.get(HEADS);
        TrainConfig train = new TrainConfig(
                p.get(STEPS),
                p.get(MICRO_BATCH),
                p.get(GRAD_ACCUM),
                p.get(LR),
                p.get(MIN_LR),
                p.get(WARMUP_STEPS),
                p.get(WEIGHT_DECAY),
                D.beta1(),
                D.beta2(),
                D.eps(),
                p.get(GRAD_CLIP),
                p.get(EVAL_EVERY),
                p.get(EVAL_SAMPLES),
                p.get(CHECKPOINT_EVERY),
                p.get(KEEP_CHECKPOINTS),
                seed,
                p.get(LOG_EVERY),
                p.get(RECOMPUTE),
                p.get(PRECISION).equals("fp16"));
        train.validate();
        int seqLen = p.get(SEQ_LEN);
        int ffn = p.get(FFN);
        return new PretrainStep(
                p.get(LAYERS),
                dModel,
                heads,
                p.get(KV_HEADS) == null ? heads : p.get(KV_HEADS),
                ffn == 0 ? defaultFfn(dModel) : ffn,
                seqLen == 0 ? null : seqLen,
                p.get(TIED_EMBEDDINGS),
                train,
                p.get(DP),
                p.get(PP),
                p.get(SCHEDULE).equals("gpipe") ? Topology.Schedule.GPIPE : Topology.Schedule.ONE_F_ONE_B,
                p.get(THREADS_PER_TASK),
                p.get(PEAK_TFLOPS));
    }

    /** Llama's SwiGLU width: 8/3 · d_model rounded up to a multiple of 64 (of 8 for tiny models). */
    static int defaultFfn(int dModel) {
        int raw = (int) Math.ceil(8.0 * dModel / 3);
        int to = dModel >= 256 ? 64 : 8;
        return (raw + to - 1) / to * to;
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", layers);
        m.put("d_model", dModel);
        m.put("heads", heads);
        m.put("kv_heads", kvHeads);
        m.put("ffn", ffn);
        m.put("seq_len", seqLen);
        m.put("tied_embeddings", tied);
        m.putAll(train.toMap());
        m.put("dp", dp);
        m.put("pp", pp);
        m.put("schedule", schedule == Topology.Schedule.GPIPE ? "gpipe" : "1f1b");
        return m;
    }
}
