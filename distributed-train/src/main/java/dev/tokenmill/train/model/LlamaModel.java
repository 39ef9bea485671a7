package dev.tokenmill.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Llama-style decoder (RMSNorm, RoPE in Hugging Face's rotate-half form, grouped-query causal attention, SwiGLU)
 * written as plain NDArray operations over named parameters, so that names, shapes and numerics match Hugging
 * Face's {@code LlamaForCausalLM}. An instance holds one {@link Section}: the whole model, or one pipeline stage.
 *
 * <p>Every constant that enters a differentiated expression (norm epsilon, attention scale, RoPE tables, the
 * causal mask) is a tensor owned by the model: DJL's {@code mul(Number)} wraps the scalar in a buffer that can be
 * freed before backward reads it (djl-notes, trap 1).
 */
public final class LlamaModel implements AutoCloseable {
    private final ModelConfig config;
    private final Section section;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final List<ParameterNames.Spec> specs;
    private final NDArray eps;
    private final NDArray scale;
    private final NDArray cos;
    private final NDArray sin;
    private final NDArray mask;
    private final NDArray groupedMask;
    private final DataType dtype;

    /** A freshly initialised section, identical on every rank for the same seed (a Java RNG per parameter name). */
    public LlamaModel(ModelConfig config, Section section, NDManager parent, long seed) {
        this(config, section, parent, seed, DataType.FLOAT32);
    }

    /**
     * In {@code dtype} (FLOAT32, or FLOAT16 for mixed precision): parameters, constants and so every activation.
     * Casting inside the graph is not an option — DJL's {@code toType} is not differentiable — so the constants are
     * made in the model's type too (a float32 tensor of shape [1] would promote fp16 activations back to fp32).
     */
    public LlamaModel(ModelConfig config, Section section, NDManager parent, long seed, DataType dtype) {
        this.config = config.validate();
        this.section = section;
        this.manager = parent.newSubManager();
        this.dtype = dtype;
        this.specs = ParameterNames.of(config, section);
        for (ParameterNames.Spec s : specs) {
            NDArray p = typed(manager.create(initial(s, seed), new Shape(s.shape())));
            p.setRequiresGradient(true);
            parameters.put(s.name(), p);
        }
        eps = constant((float) config.normEps());
        scale = constant((float) (1.0 / Math.sqrt(config.headDim())));
        int t = config.seqLen();
        int half = config.headDim() / 2;
        float[] c = new float[t * config.headDim()];
        float[] sn = new float[t * config.headDim()];
        for (int pos = 0; pos < t; pos++) {
            for (int i = 0; i < half; i++) {
                // float32 inv_freq and position products, as Hugging Face computes them
                float invFreq = (float) (1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / config.headDim()));
                float angle = pos * invFreq;
                float cv = (float) Math.cos(angle);
                float sv = (float) Math.sin(angle);
                c[pos * config.headDim() + i] = cv;
                c[pos * config.headDim() + i + half] = cv;
                sn[pos * config.headDim() + i] = sv;
                sn[pos * config.headDim() + i + half] = sv;
            }
        }
        // [T, 1, hd]: broadcast over the heads of a [B, T, heads, hd] projection
        cos = typed(manager.create(c, new Shape(t, 1, config.headDim())));
        sin = typed(manager.create(sn, new Shape(t, 1, config.headDim())));
        float[] m = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                m[i * t + j] = Float.NEGATIVE_INFINITY;
            }
        }
        mask = typed(manager.create(m, new Shape(t, t)));
        groupedMask = groupMask(mask, config.heads() / config.kvHeads(), t);
    }

    private NDArray constant(float value) {
        return manager.full(new Shape(1), value, dtype, manager.getDevice());
    }

    /** The float32 array in the model's type (the original closed when converted). */
    private NDArray typed(NDArray fp32) {
        if (dtype == DataType.FLOAT32) {
            return fp32;
        }
        NDArray out = fp32.toType(dtype, false);
        fp32.close();
        return out;
    }

    public DataType dtype() {
        return dtype;
    }

    private float[] initial(ParameterNames.Spec s, long seed) {
        float[] v = new float[Math.toIntExact(s.size())];
        if (s.init() == ParameterNames.Init.ONES) {
            java.util.Arrays.fill(v, 1f);
            return v;
        }
        double std = config.initStd()
                * (s.init() == ParameterNames.Init.RESIDUAL ? 1.0 / Math.sqrt(2.0 * config.layers()) : 1.0);
        SplittableRandom rng =
                new SplittableRandom(seed * 0x9E3779B97F4A7C15L + s.name().hashCode());
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * std);
        }
        return v;
    }

    public ModelConfig config() {
        return config;
    }

    public Section section() {
        return section;
    }

    public NDManager manager() {
        return manager;
    }

    public List<ParameterNames.Spec> specs() {
        return specs;
    }

    /** The owned parameters by name, in {@link ParameterNames#of} order. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * The section's forward pass: token ids {@code [B, T]} (first section) or hidden states {@code [B, T, d]} in;
     * logits {@code [B, T, vocab]} (last section) or hidden states out.
     */
    public NDArray forward(NDArray input) {
        NDArray h = section.first() ? embed(input) : input;
        for (int i = section.fromLayer(); i < section.toLayer(); i++) {
            h = block(h, i);
        }
        return section.last() ? logits(h) : h;
    }

    /**
     * Inference with a {@link KvCache} (a whole-model section): {@code tokens [B, T]} and their RoPE {@code positions
     * [B, T]} (int64; rows left-padded to a common length start their positions after the padding), {@code bias [B, 1,
     * T, S]} added to the attention scores over the {@code S} = cached + T keys (0 or −∞: padding and future keys), the
     * step's keys and values appended to the cache. Returns the logits {@code [B, T, vocab]}.
     */
    public NDArray forwardCached(NDArray tokens, NDArray positions, NDArray bias, KvCache cache) {
        if (!section.first() || !section.last()) {
            throw new IllegalStateException("cached inference needs the whole model, not a pipeline stage");
        }
        int hd = config.headDim();
        NDArray c = lookup(cos.reshape(config.seqLen(), hd), positions).expandDims(2);
        NDArray sn = lookup(sin.reshape(config.seqLen(), hd), positions).expandDims(2);
        NDArray h = embed(tokens);
        for (int i = 0; i < config.layers(); i++) {
            NDArray a = attentionCached(
                    rmsNorm(h, p(ParameterNames.layer(i, "input_layernorm.weight"))), i, c, sn, bias, cache);
            h = h.add(a);
            h = h.add(mlp(rmsNorm(h, p(ParameterNames.layer(i, "post_attention_layernorm.weight"))), i));
        }
        return logits(h);
    }

    /** Rows of a per-position table for positions {@code [B, T]}: {@code [B, T, width]}. */
    private static NDArray lookup(NDArray table, NDArray positions) {
        return positions
                .getNDArrayInternal()
                .embedding(positions, table, SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /** {@link #attention} over the cached keys and values plus the step's, masked by {@code bias}. */
    private NDArray attentionCached(NDArray x, int layer, NDArray cos, NDArray sin, NDArray bias, KvCache cache) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        int hd = config.headDim();
        int heads = config.heads();
        int kvHeads = config.kvHeads();
        int rep = heads / kvHeads;
        NDArray[] qkv = projections(x, layer, cos, sin);
        NDArray q = qkv[0].mul(scale).transpose(0, 2, 1, 3).reshape(b, kvHeads, rep * t, hd);
        NDArray[] kv = cache.append(layer, qkv[1].transpose(0, 2, 1, 3), qkv[2].transpose(0, 2, 1, 3));
        long keys = kv[0].getShape().get(2);
        NDArray grouped = rep == 1
                ? bias
                : bias.expandDims(2).broadcast(new Shape(b, 1, rep, t, keys)).reshape(b, 1, rep * t, keys);
        NDArray out = q.matMul(kv[0].transpose(0, 1, 3, 2))
                .add(grouped)
                .softmax(-1)
                .matMul(kv[1])
                .reshape(b, heads, t, hd)
                .transpose(0, 2, 1, 3)
                .reshape(b, t, config.dModel());
        return linear(out, p(ParameterNames.layer(layer, "self_attn.o_proj.weight")));
    }

    public NDArray embed(NDArray tokens) {
        return tokens.getNDArrayInternal()
                .embedding(tokens, p(ParameterNames.EMBED), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    public NDArray block(NDArray x, int layer) {
        NDArray h = x.add(attention(rmsNorm(x, p(ParameterNames.layer(layer, "input_layernorm.weight"))), layer));
        return h.add(mlp(rmsNorm(h, p(ParameterNames.layer(layer, "post_attention_layernorm.weight"))), layer));
    }

    public NDArray logits(NDArray h) {
        NDArray normed = rmsNorm(h, p(ParameterNames.NORM));
        return linear(normed, p(config.tiedEmbeddings() ? ParameterNames.EMBED : ParameterNames.HEAD));
    }

    /** Mean next-token cross-entropy of {@code logits [B, T, V]} against {@code targets [B, T]} (int64). */
    public static NDArray loss(NDArray logits, NDArray targets) {
        NDArray logp = logits.logSoftmax(-1);
        return logp.gather(targets.expandDims(-1), -1).mean().neg();
    }

    private NDArray rmsNorm(NDArray x, NDArray gain) {
        NDArray ms = x.square().mean(new int[] {-1}, true);
        return x.div(ms.add(eps).sqrt()).mul(gain);
    }

    /** {@code x · Wᵀ} as one torch op; its result (like every activation) belongs to the input's manager. */
    private static NDArray linear(NDArray x, NDArray weight) {
        return x.getNDArrayInternal().linear(x, weight, null).singletonOrThrow();
    }

    /**
     * Causal grouped-query attention with the step's fewer, larger products: q, k and v as one product with the
     * concatenated weights (the weights stay three parameters, as Hugging Face names them), RoPE on q and k together,
     * and each key/value head's {@code rep} query heads stacked along the rows ({@code [B, kv, rep·T, hd]}) so that
     * keys and values are used in place rather than repeated (Hugging Face's {@code repeat_kv} copies them). The
     * attention scale multiplies q before the product ({@code T / hd} times fewer multiplies than scaling the scores).
     */
    private NDArray attention(NDArray x, int layer) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        int hd = config.headDim();
        int heads = config.heads();
        int kvHeads = config.kvHeads();
        int rep = heads / kvHeads;
        NDArray[] qkv = projections(x, layer, leading(cos, t, x), leading(sin, t, x));
        NDArray q = qkv[0].mul(scale).transpose(0, 2, 1, 3).reshape(b, kvHeads, rep * t, hd);
        NDArray kT = qkv[1].transpose(0, 2, 3, 1);
        NDArray v = qkv[2].transpose(0, 2, 1, 3);
        NDArray m =
                t == config.seqLen() ? groupedMask : groupMask(attached(mask.get("0:" + t + ", 0:" + t), x), rep, t);
        NDArray out = q.matMul(kT)
                .add(m)
                .softmax(-1)
                .matMul(v)
                .reshape(b, heads, t, hd)
                .transpose(0, 2, 1, 3)
                .reshape(b, t, config.dModel());
        return linear(out, p(ParameterNames.layer(layer, "self_attn.o_proj.weight")));
    }

    /**
     * q, k and v of {@code x [B, T, d]} as {@code [B, T, heads, hd]}, {@code [B, T, kv, hd]}, {@code [B, T, kv, hd]}: one
     * product with the concatenated weights, RoPE ({@code cos}, {@code sin} broadcast over the heads) on q and k
     * together.
     */
    private NDArray[] projections(NDArray x, int layer, NDArray cos, NDArray sin) {
        Shape s = x.getShape();
        int heads = config.heads();
        int kvHeads = config.kvHeads();
        NDArray w = NDArrays.concat(
                new NDList(
                        p(ParameterNames.layer(layer, "self_attn.q_proj.weight")),
                        p(ParameterNames.layer(layer, "self_attn.k_proj.weight")),
                        p(ParameterNames.layer(layer, "self_attn.v_proj.weight"))),
                0);
        NDList qkv = linear(x, w)
                .reshape(s.get(0), s.get(1), heads + 2L * kvHeads, config.headDim())
                .split(new long[] {heads + kvHeads}, 2);
        NDList qk = rope(qkv.get(0), cos, sin).split(new long[] {heads}, 2);
        return new NDArray[] {qk.get(0), qk.get(1), qkv.get(1)};
    }

    /** The first {@code t} rows of a per-position table; a slice for a shorter input belongs to the input's manager. */
    private NDArray leading(NDArray table, long t, NDArray input) {
        return t == config.seqLen() ? table : attached(table.get("0:" + t), input);
    }

    private static NDArray attached(NDArray a, NDArray owner) {
        a.attach(owner.getManager());
        return a;
    }

    /** The causal mask for query rows stacked {@code rep} heads deep: {@code [rep·T, T]}. */
    private static NDArray groupMask(NDArray m, int rep, long t) {
        return rep == 1 ? m : m.expandDims(0).broadcast(new Shape(rep, t, t)).reshape(rep * t, t);
    }

    /** x · cos + rotate_half(x) · sin, rotate_half(x) = [-x2, x1] (Hugging Face's layout of the head). */
    private static NDArray rope(NDArray x, NDArray cos, NDArray sin) {
        NDList halves = x.split(2, x.getShape().dimension() - 1);
        NDArray rotated = NDArrays.concat(
                new NDList(halves.get(1).neg(), halves.get(0)), x.getShape().dimension() - 1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** SwiGLU with gate and up as one product ({@code [gate; up] · x}), split after. */
    private NDArray mlp(NDArray x, int layer) {
        NDArray w = NDArrays.concat(
                new NDList(
                        p(ParameterNames.layer(layer, "mlp.gate_proj.weight")),
                        p(ParameterNames.layer(layer, "mlp.up_proj.weight"))),
                0);
        NDList gateUp = linear(x, w).split(2, x.getShape().dimension() - 1);
        NDArray gate = gateUp.get(0);
        return linear(
                gate.mul(gate.getNDArrayInternal().sigmoid()).mul(gateUp.get(1)),
                p(ParameterNames.layer(layer, "mlp.down_proj.weight")));
    }

    private NDArray p(String name) {
        NDArray a = parameters.get(name);
        if (a == null) {
            throw new IllegalStateException("parameter " + name + " is not in this section");
        }
        return a;
    }

    /** Replaces parameter values in place (checkpoint load); shapes must match. */
    public void load(Map<String, float[]> values) {
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            copyIn(values);
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
        }
    }

    /**
     * Loads float32 little-endian tensors from buffers (memory-mapped safetensors): each goes straight into its
     * parameter, converted to the parameter's type in the engine.
     */
    public void loadBuffers(Map<String, java.nio.ByteBuffer> values) {
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                java.nio.ByteBuffer v = values.get(e.getKey());
                if (v == null) {
                    throw new IllegalArgumentException("checkpoint has no tensor " + e.getKey());
                }
                if (v.remaining() != e.getValue().size() * 4) {
                    throw new IllegalArgumentException("checkpoint tensor " + e.getKey() + " has " + v.remaining() / 4
                            + " values, the model " + e.getValue().size());
                }
                NDArray parameter = e.getValue();
                if (parameter.getDataType() == DataType.FLOAT32) {
                    parameter.set(v);
                } else {
                    try (NDArray fp32 = manager.create(v, parameter.getShape(), DataType.FLOAT32);
                            NDArray cast = fp32.toType(parameter.getDataType(), false)) {
                        parameter.set(cast.toByteBuffer());
                    }
                }
            }
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
        }
    }

    private void copyIn(Map<String, float[]> values) {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("checkpoint has no tensor " + e.getKey());
            }
            if (v.length != e.getValue().size()) {
                throw new IllegalArgumentException("checkpoint tensor " + e.getKey() + " has " + v.length
                        + " values, the model " + e.getValue().size());
            }
            setValues(e.getValue(), v);
        }
    }

    /** Overwrites a parameter with float32 values, converted to its type; call with grad mode off. */
    public void setValues(NDArray parameter, float[] values) {
        if (parameter.getDataType() == DataType.FLOAT32) {
            parameter.set(values);
            return;
        }
        try (NDArray fp32 = manager.create(values, parameter.getShape());
                NDArray cast = fp32.toType(parameter.getDataType(), false)) {
            parameter.set(cast.toByteBuffer());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
