package dev.tokenmill.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MinHashTest {
    private static long[] signature(MinHasher m, Shingler s, String text) {
        s.shingle(text);
        long[] out = new long[m.numPerm()];
        m.signature(s.hashes(), s.count(), out);
        return out;
    }

    private static String words(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    }

    @Test
    void estimateIsCloseToTheTrueJaccard() {
        MinHasher m = new MinHasher(256, 42);
        Shingler s = new Shingler(Shingler.Unit.WORD, 1, 7);
        long[] a = signature(m, s, words(0, 1000));
        long[] b = signature(m, s, words(300, 1300));
        double jaccard = 700.0 / 1300;
        // standard error sqrt(J(1-J)/256) ≈ 0.031
        assertEquals(jaccard, MinHasher.estimate(a, b), 0.1);
        assertEquals(1.0, MinHasher.estimate(a, signature(m, s, words(0, 1000))));
        assertTrue(MinHasher.estimate(a, signature(m, s, words(5000, 6000))) < 0.05);
    }

    @Test
    void formattingDoesNotChangeTheSignature() {
        MinHasher m = new MinHasher(128, 42);
        Shingler s = new Shingler(Shingler.Unit.WORD, 5, 7);
        assertArrayEquals(
                signature(m, s, "The council met, on Tuesday, to discuss the budget."),
                signature(m, s, "the   council met on tuesday to discuss THE budget"));
    }

    @Test
    void sameSeedSameSignatureOtherSeedOther() {
        Shingler s = new Shingler(Shingler.Unit.WORD, 5, 7);
        String text = words(0, 50);
        assertArrayEquals(signature(new MinHasher(64, 3), s, text), signature(new MinHasher(64, 3), s, text));
        assertTrue(
                MinHasher.estimate(signature(new MinHasher(64, 3), s, text), signature(new MinHasher(64, 4), s, text))
                        < 0.2);
    }

    @Test
    void shingleCounts() {
        Shingler words = new Shingler(Shingler.Unit.WORD, 5, 7);
        assertEquals(6, words.shingle(words(0, 10)).count());
        assertEquals(1, words.shingle("only three words").count(), "shorter than n: one shingle");
        assertEquals(0, words.shingle(" ... !!! ").count());
        Shingler chars = new Shingler(Shingler.Unit.CHAR, 3, 7);
        assertEquals(3, chars.shingle("abcde").count());
        assertEquals("hello world 42", Shingler.normalise("Hello, World! (42)"));
    }

    @Test
    void lshParametersPutTheSCurveAtTheThreshold() {
        for (double t : new double[] {0.5, 0.7, 0.8}) {
            LshParams p = LshParams.optimal(t, 256, 0.5, 0.5);
            assertTrue(p.bands() * p.rows() <= 256, p.toString());
            double midpoint = Math.pow(1.0 / p.bands(), 1.0 / p.rows());
            assertEquals(t, midpoint, 0.1, "S-curve midpoint of " + p + " for threshold " + t);
            assertTrue(p.candidateProbability(Math.min(0.99, t + 0.2)) > 0.95, p.toString());
            assertTrue(p.candidateProbability(t - 0.3) < 0.1, p.toString());
        }
    }

    @Test
    void simpsonIntegratesExactlyForPolynomials() {
        assertEquals(1.0 / 3, LshParams.integrate(s -> s * s, 0, 1), 1e-12);
    }

    @Test
    void nearDuplicatesShareABandAndUnrelatedTextsDoNot() {
        LshParams params = LshParams.optimal(0.7, 128, 0.5, 0.5);
        Bands bands = new Bands(params);
        MinHasher m = new MinHasher(128, 42);
        Shingler s = new Shingler(Shingler.Unit.WORD, 5, 7);
        String base = words(0, 400);
        String edited = base.replace("w100 ", "x100 ").replace("w250 ", "x250 "); // 2 of 400 words changed
        long[] a = new long[params.bands()];
        long[] b = new long[params.bands()];
        long[] c = new long[params.bands()];
        bands.hash(signature(m, s, base), a);
        bands.hash(signature(m, s, edited), b);
        bands.hash(signature(m, s, words(1000, 1400)), c);
        assertTrue(shared(a, b) > 0, "a near duplicate (Jaccard ~0.95) shares a band");
        assertEquals(0, shared(a, c), "an unrelated text shares none");
        long[] again = new long[params.bands()];
        bands.hash(signature(m, s, base), again);
        assertArrayEquals(a, again);
    }

    private static int shared(long[] x, long[] y) {
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            n += x[i] == y[i] ? 1 : 0;
        }
        return n;
    }
}
