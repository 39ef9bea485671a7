package dev.tokenmill.train.infer;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses one token from a row of logits ({@link SamplingConfig} has the semantics). Pure Java over a float array,
 * so every control is testable on hand-computed logits; the model hands it the last position's logits.
 */
public final class Sampler {
    /** The chosen token, its log-probability and the entropy (nats) of the distribution it was drawn from. */
    public record Choice(int token, double logProb, double entropy) {}

    private final SamplingConfig config;
    private final SplittableRandom rng;

    /** One sampler per sequence: its random stream is seeded by the config's seed (and the caller's stream index). */
    public Sampler(SamplingConfig config, long stream) {
        this.config = config.validate();
        this.rng = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + stream);
    }

    /**
     * @param logits    the next-token logits (not modified)
     * @param sequence  the tokens so far, prompt then generated
     * @param generated how many of them were generated (the tail of {@code sequence})
     */
    public Choice next(float[] logits, int[] sequence, int generated) {
        double[] x = process(logits, sequence, generated);
        if (config.doSample()) {
            warp(x);
        }
        double[] p = softmax(x);
        int token = config.doSample() ? drawFrom(p) : argMax(x);
        double entropy = 0;
        for (double v : p) {
            if (v > 0) {
                entropy -= v * Math.log(v);
            }
        }
        return new Choice(token, Math.log(p[token]), entropy);
    }

    /**
     * The distribution {@link #next} draws from (processed, and warped when sampling), for speculative decoding's
     * accept/reject rule; greedy decoding takes its arg-max.
     */
    public double[] probabilities(float[] logits, int[] sequence, int generated) {
        double[] x = process(logits, sequence, generated);
        if (config.doSample()) {
            warp(x);
        }
        return softmax(x);
    }

    /** A draw from {@code p} (which sums to 1) on this sampler's stream. */
    public int draw(double[] p) {
        return drawFrom(p);
    }

    /** A uniform number in [0, 1) on this sampler's stream. */
    public double uniform() {
        return rng.nextDouble();
    }

    public boolean sampling() {
        return config.doSample();
    }

    /** The logit processors (they apply to greedy decoding too). */
    double[] process(float[] logits, int[] sequence, int generated) {
        double[] x = new double[logits.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = logits[i];
        }
        if (config.repetitionPenalty() != 1.0) {
            boolean[] seen = new boolean[x.length];
            for (int t : sequence) {
                if (!seen[t]) {
                    seen[t] = true;
                    x[t] = x[t] < 0 ? x[t] * config.repetitionPenalty() : x[t] / config.repetitionPenalty();
                }
            }
        }
        if (config.presencePenalty() != 0 || config.frequencyPenalty() != 0) {
            int[] counts = new int[x.length];
            for (int i = sequence.length - generated; i < sequence.length; i++) {
                counts[sequence[i]]++;
            }
            for (int t = 0; t < x.length; t++) {
                if (counts[t] > 0) {
                    x[t] -= config.frequencyPenalty() * counts[t] + config.presencePenalty();
                }
            }
        }
        int n = config.noRepeatNgram();
        if (n > 0 && sequence.length + 1 >= n) {
            // every earlier n-gram whose first n − 1 tokens equal the last n − 1 bans its last token
            int prefixStart = sequence.length - (n - 1);
            for (int i = 0; i + n - 1 < sequence.length; i++) {
                boolean same = true;
                for (int j = 0; j < n - 1 && same; j++) {
                    same = sequence[i + j] == sequence[prefixStart + j];
                }
                if (same) {
                    x[sequence[i + n - 1]] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        return x;
    }

    /** Temperature, top-k, top-p, min-p, in Hugging Face's order; removed tokens get −∞. */
    void warp(double[] x) {
        if (config.temperature() != 1.0) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= config.temperature();
            }
        }
        if (config.topK() > 0 && config.topK() < x.length) {
            double[] sorted = x.clone();
            Arrays.sort(sorted);
            double kth = sorted[sorted.length - config.topK()];
            for (int i = 0; i < x.length; i++) {
                if (x[i] < kth) { // ties with the k-th value stay, as torch.topk's threshold keeps them
                    x[i] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        if (config.topP() < 1.0) {
            double[] p = softmax(x);
            Integer[] order = new Integer[x.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            // ascending by logit (stable: ties in index order), as HF sorts before its cumulative sum
            Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
            double cumulative = 0;
            for (int r = 0; r < order.length - 1; r++) { // the most probable token always stays
                cumulative += p[order[r]];
                if (cumulative <= 1 - config.topP()) {
                    x[order[r]] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        if (config.minP() > 0) {
            double[] p = softmax(x);
            double max = 0;
            for (double v : p) {
                max = Math.max(max, v);
            }
            double threshold = config.minP() * max;
            for (int i = 0; i < x.length; i++) {
                if (p[i] < threshold) {
                    x[i] = Double.NEGATIVE_INFINITY;
                }
            }
        }
    }

    static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double[] p = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            p[i] = x[i] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(x[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private int drawFrom(double[] p) {
        double u = rng.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cumulative += p[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last; // rounding left u above the total: the last possible token
    }

    static int argMax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
