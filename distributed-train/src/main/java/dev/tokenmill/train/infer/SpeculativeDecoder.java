package dev.tokenmill.train.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.train.model.KvCache;
import dev.tokenmill.train.model.LlamaModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Speculative decoding (Leviathan et al. 2023; Chen et al. 2023) for one prompt: a small draft model of the same
 * vocabulary proposes {@code lookahead} tokens one by one, the target scores them all in one cached forward pass,
 * and the standard rule keeps a prefix: greedy keeps draft tokens while they equal the target's arg-max; sampling
 * keeps token x with probability min(1, p(x)/q(x)) and on the first rejection draws from norm(max(0, p − q)); when
 * every draft token is kept the target's next distribution adds one more. So greedy output equals the target's greedy
 * output token for token, and sampled output follows the target's distribution (after the same processors and
 * warpers as {@link Sampler}). Both KV caches are cut back to the kept tokens after each round.
 */
public final class SpeculativeDecoder {
    private static final float MASKED = Float.NEGATIVE_INFINITY;

    /** The generation and what speculation did: draft tokens proposed and accepted, target forward passes. */
    public record Result(Generation generation, long proposed, long accepted, long targetPasses) {
        public double acceptanceRate() {
            return proposed == 0 ? 0 : (double) accepted / proposed;
        }
    }

    private final LlamaModel target;
    private final LlamaModel draft;
    private final TextTokenizer tokenizer;
    private final int lookahead;

    public SpeculativeDecoder(LlamaModel target, LlamaModel draft, TextTokenizer tokenizer, int lookahead) {
        if (target.config().vocabSize() != draft.config().vocabSize()) {
            throw new IllegalArgumentException(
                    "the draft's vocabulary (" + draft.config().vocabSize() + ") differs from the target's ("
                            + target.config().vocabSize() + "): they must share a tokenizer");
        }
        if (lookahead < 1) {
            throw new IllegalArgumentException("lookahead must be ≥ 1, got " + lookahead);
        }
        this.target = target;
        this.draft = draft;
        this.tokenizer = tokenizer;
        this.lookahead = lookahead;
    }

    public Result generate(String prompt, int index, GenerationConfig config) {
        config.validate();
        int[] promptIds = tokenizer.encode(prompt);
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("prompt " + index + " is empty: give at least one token of text");
        }
        int window = Math.min(target.config().seqLen(), draft.config().seqLen());
        if (promptIds.length + config.maxNewTokens() > window) {
            throw new IllegalArgumentException("a prompt of " + promptIds.length + " tokens plus max_new_tokens "
                    + config.maxNewTokens() + " exceeds the context of " + window + " tokens (target and draft)");
        }
        // the draft proposes on its own stream; the target's sampler decides (accept, residual, bonus)
        Sampler targetSampler = new Sampler(config.sampling(), index);
        Sampler draftSampler = new Sampler(config.sampling(), ~(long) index);
        List<Integer> sequence = new ArrayList<>();
        for (int t : promptIds) {
            sequence.add(t);
        }
        List<Double> logProbs = new ArrayList<>();
        List<Double> entropies = new ArrayList<>();
        String finish = null;
        long proposed = 0;
        long accepted = 0;
        long passes = 0;
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = target.manager().newSubManager();
                KvCache targetCache = new KvCache(target.config().layers());
                KvCache draftCache = new KvCache(draft.config().layers())) {
            // both caches hold every token but the last; each round starts by feeding the last
            if (promptIds.length > 1) {
                forward(target, manager, sequence.subList(0, promptIds.length - 1), targetCache);
                forward(draft, manager, sequence.subList(0, promptIds.length - 1), draftCache);
            }
            int generated = 0;
            while (finish == null) {
                int room = config.maxNewTokens() - generated;
                int gamma = Math.min(lookahead, room - 1);
                int len = sequence.size();
                // draft: feed what its cache lacks, then propose gamma tokens
                List<Integer> proposal = new ArrayList<>();
                List<double[]> q = new ArrayList<>();
                List<Integer> work = new ArrayList<>(sequence);
                for (int i = 0; i < gamma; i++) {
                    float[][] logits =
                            forward(draft, manager, work.subList((int) draftCache.length(), work.size()), draftCache);
                    double[] qi = draftSampler.probabilities(logits[logits.length - 1], toArray(work), generated + i);
                    int x = draftSampler.sampling() ? draftSampler.draw(qi) : Sampler.argMax(qi);
                    proposal.add(x);
                    q.add(qi);
                    work.add(x);
                }
                proposed += gamma;
                // target: the last kept token and the proposal in one pass
                float[][] p = forward(target, manager, work.subList(len - 1, work.size()), targetCache);
                passes++;
                List<Integer> emit = new ArrayList<>();
                List<double[]> emitP = new ArrayList<>();
                int kept = 0;
                for (int i = 0; i <= gamma; i++) {
                    double[] pi = targetSampler.probabilities(p[i], toArray(work.subList(0, len + i)), generated + i);
                    if (i == gamma) {
                        emit.add(targetSampler.sampling() ? targetSampler.draw(pi) : Sampler.argMax(pi));
                        emitP.add(pi);
                        break;
                    }
                    int x = proposal.get(i);
                    boolean accept = targetSampler.sampling()
                            ? accepts(pi, q.get(i), x, targetSampler.uniform())
                            : x == Sampler.argMax(pi);
                    if (accept) {
                        emit.add(x);
                        emitP.add(pi);
                        kept++;
                        continue;
                    }
                    emit.add(
                            targetSampler.sampling() ? targetSampler.draw(residual(pi, q.get(i))) : Sampler.argMax(pi));
                    emitP.add(pi);
                    break;
                }
                accepted += kept;
                targetCache.truncate(len + kept);
                draftCache.truncate(Math.min(draftCache.length(), len + kept));
                for (int i = 0; i < emit.size() && finish == null; i++) {
                    int token = emit.get(i);
                    double[] pi = emitP.get(i);
                    sequence.add(token);
                    generated++;
                    logProbs.add(Math.log(pi[token]));
                    entropies.add(entropy(pi));
                    if (config.eosTokens().contains(token)) {
                        finish = "eos";
                    } else if (!config.stop().isEmpty()
                            && Generator.firstStop(text(sequence, promptIds.length, generated), config.stop()) >= 0) {
                        finish = "stop";
                    } else if (generated >= config.maxNewTokens()) {
                        finish = "length";
                    }
                }
            }
            int[] out = toArray(sequence.subList(promptIds.length, sequence.size()));
            String text = text(sequence, promptIds.length, finish.equals("eos") ? out.length - 1 : out.length);
            if (finish.equals("stop")) {
                text = text.substring(0, Generator.firstStop(text, config.stop()));
            }
            Generation g = new Generation(
                    index,
                    prompt,
                    text,
                    out,
                    finish,
                    logProbs.stream().mapToDouble(Double::doubleValue).toArray(),
                    entropies.stream().mapToDouble(Double::doubleValue).toArray());
            return new Result(g, proposed, accepted, passes);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** The sampling rule: draft token {@code x} (drawn from q) stays when u < min(1, p(x) / q(x)). */
    static boolean accepts(double[] p, double[] q, int x, double u) {
        return u < Math.min(1.0, p[x] / q[x]);
    }

    /** norm(max(0, p − q)): what a rejected position draws from, so the kept token follows p. */
    static double[] residual(double[] p, double[] q) {
        double[] r = new double[p.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            r[i] = Math.max(0, p[i] - q[i]);
            sum += r[i];
        }
        if (sum <= 0) {
            return p.clone(); // p == q: a rejection cannot happen, but rounding may get here
        }
        for (int i = 0; i < r.length; i++) {
            r[i] /= sum;
        }
        return r;
    }

    /** Feeds {@code tokens} after the cached positions; returns each fed position's logits. */
    private static float[][] forward(LlamaModel model, NDManager manager, List<Integer> tokens, KvCache cache) {
        int t = tokens.size();
        int past = (int) cache.length();
        int keys = past + t;
        long[] ids = new long[t];
        long[] positions = new long[t];
        float[] bias = new float[t * keys];
        for (int i = 0; i < t; i++) {
            ids[i] = tokens.get(i);
            positions[i] = past + i;
            for (int j = 0; j < keys; j++) {
                bias[i * keys + j] = j <= past + i ? 0f : MASKED;
            }
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray b = manager.create(bias, new Shape(1, 1, t, keys));
            if (b.getDataType() != model.dtype()) {
                b = b.toType(model.dtype(), false);
            }
            float[] all = model.forwardCached(
                            manager.create(ids, new Shape(1, t)), manager.create(positions, new Shape(1, t)), b, cache)
                    .toType(DataType.FLOAT32, false)
                    .toFloatArray();
            int vocab = model.config().vocabSize();
            float[][] out = new float[t][vocab];
            for (int i = 0; i < t; i++) {
                System.arraycopy(all, i * vocab, out[i], 0, vocab);
            }
            return out;
        }
    }

    private String text(List<Integer> sequence, int from, int n) {
        return tokenizer.decode(toArray(sequence.subList(from, from + n)));
    }

    private static double entropy(double[] p) {
        double h = 0;
        for (double v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return h;
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
