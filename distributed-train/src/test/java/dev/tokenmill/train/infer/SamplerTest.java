package dev.tokenmill.train.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every control on hand-computed logits, with Hugging Face generate's semantics. */
class SamplerTest {
    private static final double NEG = Double.NEGATIVE_INFINITY;

    private static SamplingConfig config(
            boolean sample,
            double temperature,
            int topK,
            double topP,
            double minP,
            double repetition,
            double presence,
            double frequency,
            int noRepeat) {
        return new SamplingConfig(sample, temperature, topK, topP, minP, repetition, presence, frequency, noRepeat, 1);
    }

    private static float[] logs(double... probs) {
        float[] out = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            out[i] = (float) Math.log(probs[i]);
        }
        return out;
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
        Sampler s = new Sampler(config(false, 1, 0, 1, 0, 2.0, 0, 0, 0), 0);
        double[] x = s.process(new float[] {2f, -1f, 0.5f, 3f}, new int[] {0, 1, 1}, 1);
        assertArrayEquals(new double[] {1.0, -2.0, 0.5, 3.0}, x, 1e-12);
    }

    @Test
    void presenceAndFrequencyPenaltiesCountGeneratedTokensOnly() {
        Sampler s = new Sampler(config(false, 1, 0, 1, 0, 1, 0.5, 0.25, 0), 0);
        // prompt [2], generated [0, 0, 1]: token 2 is not penalised
        double[] x = s.process(new float[] {1f, 1f, 1f}, new int[] {2, 0, 0, 1}, 3);
        assertArrayEquals(new double[] {1 - 0.5 - 2 * 0.25, 1 - 0.5 - 0.25, 1}, x, 1e-12);
    }

    @Test
    void noRepeatNgramBansTheTokenThatWouldRepeatAnNgram() {
        Sampler s = new Sampler(config(false, 1, 0, 1, 0, 1, 0, 0, 2), 0);
        // 1 was followed by 2 before; the sequence ends in 1: 2 is banned
        double[] x = s.process(new float[] {0f, 0f, 5f, 0f}, new int[] {1, 2, 3, 1}, 0);
        assertEquals(NEG, x[2]);
        assertEquals(
                0,
                s.next(new float[] {0f, -1f, 5f, -2f}, new int[] {1, 2, 3, 1}, 0)
                        .token(),
                "greedy skips the ban");
        Sampler trigram = new Sampler(config(false, 1, 0, 1, 0, 1, 0, 0, 3), 0);
        assertEquals(
                0.0,
                trigram.process(new float[] {0f, 0f, 0f, 0f}, new int[] {1, 2, 3, 1}, 0)[3],
                "no 3-gram [3, 1, ?] yet");
    }

    @Test
    void topKKeepsTheKBestAndTiesAtTheKth() {
        Sampler s = new Sampler(config(true, 1, 2, 1, 0, 1, 0, 0, 0), 0);
        double[] x = {1, 4, 3, 3, 0};
        s.warp(x);
        assertArrayEquals(new double[] {NEG, 4, 3, 3, NEG}, x);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        Sampler s = new Sampler(config(true, 1, 0, 0.75, 0, 1, 0, 0, 0), 0);
        double[] x = {Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)};
        s.warp(x);
        assertTrue(Double.isFinite(x[0]) && Double.isFinite(x[1]));
        assertEquals(NEG, x[2]);
        assertEquals(NEG, x[3]);
        Sampler tiny = new Sampler(config(true, 1, 0, 0.01, 0, 1, 0, 0, 0), 0);
        double[] y = {Math.log(0.5), Math.log(0.3), Math.log(0.2)};
        tiny.warp(y);
        assertArrayEquals(new double[] {Math.log(0.5), NEG, NEG}, y, 1e-12, "the most probable token always stays");
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTopProbability() {
        Sampler s = new Sampler(config(true, 1, 0, 1, 0.5, 1, 0, 0, 0), 0);
        double[] x = {Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)};
        s.warp(x);
        assertTrue(Double.isFinite(x[0]) && Double.isFinite(x[1]));
        assertEquals(NEG, x[2]);
        assertEquals(NEG, x[3]);
    }

    @Test
    void temperatureScalesLogitsBeforeTheFilters() {
        Sampler s = new Sampler(config(true, 2, 0, 1, 0, 1, 0, 0, 0), 0);
        double[] x = {2, -4};
        s.warp(x);
        assertArrayEquals(new double[] {1, -2}, x, 1e-12);
    }

    @Test
    void topKOneSamplesTheArgMaxAndGreedyReportsItsLogProb() {
        float[] logits = logs(0.1, 0.6, 0.3);
        Sampler one = new Sampler(SamplingConfig.sampling(1.0, 1, 1.0, 99), 0);
        for (int i = 0; i < 50; i++) {
            assertEquals(1, one.next(logits, new int[] {0}, 0).token());
        }
        Sampler.Choice g = new Sampler(SamplingConfig.greedy(), 0).next(logits, new int[] {0}, 0);
        assertEquals(1, g.token());
        assertEquals(Math.log(0.6), g.logProb(), 1e-6);
        assertEquals(-(0.1 * Math.log(0.1) + 0.6 * Math.log(0.6) + 0.3 * Math.log(0.3)), g.entropy(), 1e-6);
    }

    @Test
    void temperatureOneSamplingFollowsTheSoftmax() {
        double[] p = {0.1, 0.2, 0.3, 0.4};
        float[] logits = logs(p);
        Sampler s = new Sampler(SamplingConfig.sampling(1.0, 0, 1.0, 2026), 0);
        int n = 40_000;
        int[] counts = new int[p.length];
        for (int i = 0; i < n; i++) {
            counts[s.next(logits, new int[] {0}, 0).token()]++;
        }
        double chi2 = 0;
        for (int i = 0; i < p.length; i++) {
            double expected = n * p[i];
            chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        assertTrue(chi2 < 16.27, "χ² with 3 degrees of freedom at p = 0.001: " + chi2);
    }

    @Test
    void theSameSeedAndStreamGiveTheSameDraws() {
        float[] logits = logs(0.25, 0.25, 0.25, 0.25);
        int[] a = new int[30];
        int[] b = new int[30];
        int[] c = new int[30];
        Sampler s1 = new Sampler(SamplingConfig.sampling(1.0, 0, 1.0, 5), 3);
        Sampler s2 = new Sampler(SamplingConfig.sampling(1.0, 0, 1.0, 5), 3);
        Sampler s3 = new Sampler(SamplingConfig.sampling(1.0, 0, 1.0, 6), 3);
        for (int i = 0; i < 30; i++) {
            a[i] = s1.next(logits, new int[] {0}, 0).token();
            b[i] = s2.next(logits, new int[] {0}, 0).token();
            c[i] = s3.next(logits, new int[] {0}, 0).token();
        }
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c), "another seed, other draws");
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> new Sampler(SamplingConfig.sampling(0, 0, 1, 1), 0))
                .getMessage()
                .contains("temperature"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> new Sampler(SamplingConfig.sampling(1, 0, 0, 1), 0))
                .getMessage()
                .contains("top_p"));
    }
}
