package dev.tokenmill.jobs.train;

import dev.tokenmill.core.Params;
import dev.tokenmill.train.TrainConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of a {@code pretrain} step (recipe params, or {@code --param key=value} on the command line), flat
 * like nanoGPT's config: the model shape, the optimisation and the layout. The vocabulary comes from the
 * tokenizer; {@code seq_len} defaults to the packed length of the input table.
 */
public record PretrainStep(int layers, int dModel, int heads, int kvHeads, int ffn, Integer seqLen, boolean tied,
                           TrainConfig train, int dp, int pp, dev.tokenmill.train.dist.Topology.Schedule schedule,
                           int threadsPerTask, double peakTflops) {

    static final String[] KEYS = {"layers", "d_model", "heads", "kv_heads", "ffn", "seq_len", "tied_embeddings", "steps",
        "micro_batch", "grad_accum", "lr", "min_lr", "warmup_steps", "weight_decay", "grad_clip", "eval_every",
        "eval_samples", "checkpoint_every", "keep_checkpoints", "log_every", "recompute", "precision", "dp", "pp", "schedule", "threads_per_task",
        "peak_tflops"};

    /** Parses and checks the settings; {@code seed} comes from the recipe. */
    public static PretrainStep parse(Map<String, Object> values, long seed) {
        Params p = new Params("pretrain", values);
        p.allowOnly(KEYS);
        int dModel = p.integer("d_model", 128, 8, 1 << 16);
        int heads = p.integer("heads", 4, 1, 1024);
        TrainConfig d = TrainConfig.defaults();
        TrainConfig train = new TrainConfig(p.integer("steps", 200, 1, Integer.MAX_VALUE), p.integer("micro_batch", 8, 1, 1 << 16),
            p.integer("grad_accum", 1, 1, 1 << 16), p.number("lr", d.lr(), 1e-9, 10), p.number("min_lr", d.minLr(), 0, 10),
            p.integer("warmup_steps", d.warmupSteps(), 0, Integer.MAX_VALUE), p.number("weight_decay", d.weightDecay(), 0, 10),
            d.beta1(), d.beta2(), d.eps(), p.number("grad_clip", d.gradClip(), 0, 1e6),
            p.integer("eval_every", d.evalEvery(), 0, Integer.MAX_VALUE), p.integer("eval_samples", d.evalSamples(), 0, 1 << 20),
            p.integer("checkpoint_every", d.checkpointEvery(), 0, Integer.MAX_VALUE),
            p.integer("keep_checkpoints", d.keepCheckpoints(), 1, 1000), seed, p.integer("log_every", d.logEvery(), 1, 1 << 20),
            p.bool("recompute", false), p.oneOf("precision", "fp32", "fp32", "fp16").equals("fp16"));
        train.validate();
        int seqLen = p.integer("seq_len", 0, 0, 1 << 20);
        return new PretrainStep(p.integer("layers", 4, 1, 1024), dModel, heads, p.integer("kv_heads", heads, 1, 1024),
            p.integer("ffn", 0, 0, 1 << 20) == 0 ? defaultFfn(dModel) : p.integer("ffn", 0, 0, 1 << 20),
            seqLen == 0 ? null : seqLen, p.bool("tied_embeddings", true), train, p.integer("dp", 1, 1, 4096),
            p.integer("pp", 1, 1, 1024), p.oneOf("schedule", "1f1b", "1f1b", "gpipe").equals("gpipe")
                ? dev.tokenmill.train.dist.Topology.Schedule.GPIPE : dev.tokenmill.train.dist.Topology.Schedule.ONE_F_ONE_B,
            p.integer("threads_per_task", 0, 0, 1024), p.number("peak_tflops", 0, 0, 1e6));
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
        m.put("schedule", schedule == dev.tokenmill.train.dist.Topology.Schedule.GPIPE ? "gpipe" : "1f1b");
        return m;
    }
}
