package dev.tokenmill.train.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a Llama-style decoder. Field names follow nanoGPT's knobs; {@link #toHuggingFace()} writes the same
 * numbers under Hugging Face's {@code LlamaConfig} names so a checkpoint loads in other tools.
 */
public record ModelConfig(
        int vocabSize,
        int layers,
        int dModel,
        int heads,
        int kvHeads,
        int ffn,
        int seqLen,
        boolean tiedEmbeddings,
        double ropeTheta,
        double normEps,
        double initStd)
        implements java.io.Serializable {

    public static ModelConfig of(int vocabSize, int layers, int dModel, int heads, int kvHeads, int ffn, int seqLen) {
        return new ModelConfig(vocabSize, layers, dModel, heads, kvHeads, ffn, seqLen, true, 10_000.0, 1e-5, 0.02);
    }

    public ModelConfig withTiedEmbeddings(boolean tied) {
        return new ModelConfig(
                vocabSize, layers, dModel, heads, kvHeads, ffn, seqLen, tied, ropeTheta, normEps, initStd);
    }

    /** Throws {@link IllegalArgumentException} with a one-line reason when the shape cannot be built. */
    public ModelConfig validate() {
        positive("vocab_size", vocabSize);
        positive("n_layers", layers);
        positive("d_model", dModel);
        positive("n_heads", heads);
        positive("n_kv_heads", kvHeads);
        positive("ffn_dim", ffn);
        positive("seq_len", seqLen);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("n_heads (" + heads + ") must divide d_model (" + dModel + ")");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("n_kv_heads (" + kvHeads + ") must divide n_heads (" + heads + ")");
        }
        if (headDim() % 2 != 0) {
            throw new IllegalArgumentException(
                    "the head size d_model / n_heads (" + headDim() + ") must be even for RoPE");
        }
        if (!(ropeTheta > 0) || !(normEps > 0) || !(initStd > 0)) {
            throw new IllegalArgumentException("rope_theta, norm_eps and init_std must be positive");
        }
        return this;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    public int headDim() {
        return dModel / heads;
    }

    /** Parameters, counting the embedding once when tied. */
    public long parameterCount() {
        long d = dModel;
        long kv = (long) kvHeads * headDim();
        long perLayer = d * d * 2 + d * kv * 2 + 3 * d * ffn + 2 * d;
        return (long) vocabSize * d * (tiedEmbeddings ? 1 : 2) + layers * perLayer + d;
    }

    /** Parameters without the embedding tables: nanoGPT's N in the 6N FLOP estimate (the head counts as it computes). */
    public long nonEmbeddingParameters() {
        return parameterCount() - (long) vocabSize * dModel * (tiedEmbeddings ? 0 : 1);
    }

    /** {@code config.json} as Hugging Face's {@code LlamaForCausalLM} reads it. */
    public Map<String, Object> toHuggingFace() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", java.util.List.of("LlamaForCausalLM"));
        m.put("model_type", "llama");
        m.put("vocab_size", vocabSize);
        m.put("hidden_size", dModel);
        m.put("intermediate_size", ffn);
        m.put("num_hidden_layers", layers);
        m.put("num_attention_heads", heads);
        m.put("num_key_value_heads", kvHeads);
        m.put("head_dim", headDim());
        m.put("hidden_act", "silu");
        m.put("max_position_embeddings", seqLen);
        m.put("rms_norm_eps", normEps);
        m.put("rope_theta", ropeTheta);
        m.put("tie_word_embeddings", tiedEmbeddings);
        m.put("attention_bias", false);
        m.put("mlp_bias", false);
        m.put("initializer_range", initStd);
        m.put("torch_dtype", "float32");
        return m;
    }

    /** The inverse of {@link #toHuggingFace()} (checkpoint reload). */
    public static ModelConfig fromHuggingFace(Map<String, ?> m) {
        return new ModelConfig(
                num(m, "vocab_size").intValue(),
                num(m, "num_hidden_layers").intValue(),
                num(m, "hidden_size").intValue(),
                num(m, "num_attention_heads").intValue(),
                num(m, "num_key_value_heads").intValue(),
                num(m, "intermediate_size").intValue(),
                num(m, "max_position_embeddings").intValue(),
                Boolean.TRUE.equals(m.get("tie_word_embeddings")),
                num(m, "rope_theta").doubleValue(),
                num(m, "rms_norm_eps").doubleValue(),
                m.containsKey("initializer_range") ? num(m, "initializer_range").doubleValue() : 0.02);
    }

    private static Number num(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("config.json: '" + key + "' is missing or not a number");
        }
        return n;
    }
}
