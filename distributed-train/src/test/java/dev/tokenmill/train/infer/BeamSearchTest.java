package dev.tokenmill.train.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Beam search on a toy model over 4 tokens (3 = EOS): wide beams equal exhaustive search; one beam is greedy. */
class BeamSearchTest {
    private static final int V = 4;
    private static final int EOS = 3;

    /** Logits depend on the whole sequence (a hash of it), so no two paths share their futures by accident. */
    private static float[] logits(int[] sequence) {
        long h = 1469598103934665603L;
        for (int t : sequence) {
            h = (h ^ t) * 1099511628211L;
        }
        SplittableRandom r = new SplittableRandom(h);
        float[] out = new float[V];
        for (int i = 0; i < V; i++) {
            out[i] = (float) (r.nextGaussian() * 2);
        }
        return out;
    }

    /** A scorer that keeps each beam's full sequence and recomputes (what the KV cache must reproduce). */
    private static final class Toy implements BeamSearch.Scorer {
        private final int[] prompt;
        private List<int[]> beams = new ArrayList<>();

        Toy(int[] prompt) {
            this.prompt = prompt;
        }

        @Override
        public float[] start(int[] p) {
            beams = List.of(p);
            return logits(p);
        }

        @Override
        public float[][] next(int[] parents, int[] tokens) {
            List<int[]> now = new ArrayList<>();
            float[][] out = new float[parents.length][];
            for (int i = 0; i < parents.length; i++) {
                int[] seq = java.util.Arrays.copyOf(beams.get(parents[i]), beams.get(parents[i]).length + 1);
                seq[seq.length - 1] = tokens[i];
                now.add(seq);
                out[i] = logits(seq);
            }
            beams = now;
            return out;
        }
    }

    private record Best(int[] tokens, double score) {}

    /** Every continuation of at most n tokens that ends at EOS or at n, scored Σ log p / L^α. */
    private static Best exhaustive(int[] prompt, int n, double alpha) {
        Best[] best = {null};
        walk(prompt, new int[0], 0, n, alpha, best);
        return best[0];
    }

    private static void walk(int[] prompt, int[] gen, double logp, int n, double alpha, Best[] best) {
        int[] seq = java.util.Arrays.copyOf(prompt, prompt.length + gen.length);
        System.arraycopy(gen, 0, seq, prompt.length, gen.length);
        double[] lp = BeamSearch.logSoftmax(logits(seq));
        for (int t = 0; t < V; t++) {
            int[] g = java.util.Arrays.copyOf(gen, gen.length + 1);
            g[gen.length] = t;
            double total = logp + lp[t];
            if (t == EOS || g.length == n) {
                double score = total / Math.pow(g.length, alpha);
                if (best[0] == null || score > best[0].score()) {
                    best[0] = new Best(g, score);
                }
            } else {
                walk(prompt, g, total, n, alpha, best);
            }
        }
    }

    @Test
    void wideBeamsFindTheExhaustiveOptimumForEveryLengthPenalty() {
        for (long seed = 0; seed < 20; seed++) {
            int[] prompt = {(int) (seed % 3), (int) (seed / 3 % 3)};
            for (double alpha : new double[] {0.0, 1.0, 2.0}) {
                BeamSearch.Result r = BeamSearch.search(
                        new Toy(prompt), prompt, 64, alpha, false, 3, List.of(EOS), SamplingConfig.greedy());
                Best best = exhaustive(prompt, 3, alpha);
                assertArrayEquals(
                        best.tokens(), r.tokens(), "prompt " + java.util.Arrays.toString(prompt) + " α " + alpha);
                assertEquals(best.score(), r.score(), 1e-6); // log-probs pass through float once
            }
        }
    }

    @Test
    void oneBeamIsGreedy() {
        int[] prompt = {1, 2};
        BeamSearch.Result r =
                BeamSearch.search(new Toy(prompt), prompt, 1, 1.0, false, 6, List.of(), SamplingConfig.greedy());
        int[] seq = prompt.clone();
        int[] greedy = new int[6];
        for (int i = 0; i < 6; i++) {
            float[] l = logits(seq);
            int best = 0;
            for (int t = 1; t < V; t++) {
                if (l[t] > l[best]) {
                    best = t;
                }
            }
            greedy[i] = best;
            seq = java.util.Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = best;
        }
        assertArrayEquals(greedy, r.tokens());
        assertEquals("length", r.finishReason());
    }
}
