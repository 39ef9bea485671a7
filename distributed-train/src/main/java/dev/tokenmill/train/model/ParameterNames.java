package dev.tokenmill.train.model;

import java.util.ArrayList;
import java.util.List;

/** Parameter names and shapes in Hugging Face's Llama layout ({@code [out, in]} for projections). */
public final class ParameterNames {
    public static final String EMBED = "model.embed_tokens.weight";
    public static final String NORM = "model.norm.weight";
    public static final String HEAD = "lm_head.weight";

    /** One parameter: its name, shape and how it is initialised. */
    public record Spec(String name, long[] shape, Init init) {
        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** Weight decay applies to matrices only: norm gains (the 1-D tensors; this layout has no biases) are exempt. */
        public boolean decays() {
            return shape.length > 1;
        }
    }

    /** Normal(0, std), residual projections scaled by 1/sqrt(2 · layers) (GPT-2), norm gains ones. */
    public enum Init {
        NORMAL,
        RESIDUAL,
        ONES
    }

    private ParameterNames() {}

    public static String layer(int i, String rest) {
        return "model.layers." + i + "." + rest;
    }

    /** The parameters a section owns, in a fixed order (the order of the flattened gradient buffer). */
    public static List<Spec> of(ModelConfig c, Section s) {
        List<Spec> out = new ArrayList<>();
        long d = c.dModel();
        long kv = (long) c.kvHeads() * c.headDim();
        boolean embedding = s.first() || (s.last() && c.tiedEmbeddings());
        if (embedding) {
            out.add(new Spec(EMBED, new long[] {c.vocabSize(), d}, Init.NORMAL));
        }
        for (int i = s.fromLayer(); i < s.toLayer(); i++) {
            out.add(new Spec(layer(i, "input_layernorm.weight"), new long[] {d}, Init.ONES));
            out.add(new Spec(layer(i, "self_attn.q_proj.weight"), new long[] {d, d}, Init.NORMAL));
            out.add(new Spec(layer(i, "self_attn.k_proj.weight"), new long[] {kv, d}, Init.NORMAL));
            out.add(new Spec(layer(i, "self_attn.v_proj.weight"), new long[] {kv, d}, Init.NORMAL));
            out.add(new Spec(layer(i, "self_attn.o_proj.weight"), new long[] {d, d}, Init.RESIDUAL));
            out.add(new Spec(layer(i, "post_attention_layernorm.weight"), new long[] {d}, Init.ONES));
            out.add(new Spec(layer(i, "mlp.gate_proj.weight"), new long[] {c.ffn(), d}, Init.NORMAL));
            out.add(new Spec(layer(i, "mlp.up_proj.weight"), new long[] {c.ffn(), d}, Init.NORMAL));
            out.add(new Spec(layer(i, "mlp.down_proj.weight"), new long[] {d, c.ffn()}, Init.RESIDUAL));
        }
        if (s.last()) {
            out.add(new Spec(NORM, new long[] {d}, Init.ONES));
            if (!c.tiedEmbeddings()) {
                out.add(new Spec(HEAD, new long[] {c.vocabSize(), d}, Init.NORMAL));
            }
        }
        return out;
    }
}
