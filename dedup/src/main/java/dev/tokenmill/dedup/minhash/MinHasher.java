package dev.tokenmill.dedup.minhash;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MinHash signatures with the universal hash family h_i(x) = (a_i·x + b_i) mod p over the Mersenne prime
 * p = 2^61 − 1 (the family datasketch uses), a_i and b_i drawn from a seeded generator. The inner loop is a
 * 64×64-bit multiply and a Mersenne reduction per shingle and permutation, with no allocation.
 * Immutable and thread-safe.
 */
public final class MinHasher implements java.io.Serializable {
    static final long P = (1L << 61) - 1;

    private final long[] a;
    private final long[] b;

    public MinHasher(int numPerm, long seed) {
        if (numPerm < 1) {
            throw new IllegalArgumentException("num_perm must be at least 1, got " + numPerm);
        }
        SplittableRandom random = new SplittableRandom(seed);
        a = new long[numPerm];
        b = new long[numPerm];
        for (int i = 0; i < numPerm; i++) {
            a[i] = 1 + random.nextLong(P - 1);
            b[i] = random.nextLong(P);
        }
    }

    public int numPerm() {
        return a.length;
    }

    /** (x·y) mod p for x, y &lt; p, without overflow: the 122-bit product folded twice at bit 61. */
    static long mulMod(long x, long y) {
        long lo = x * y;
        long hi = Math.multiplyHigh(x, y);
        long folded = (lo & P) + ((lo >>> 61) | (hi << 3));
        folded = (folded & P) + (folded >>> 61);
        return folded >= P ? folded - P : folded;
    }

    /** Writes the signature of the first {@code count} shingle hashes into {@code out} (length num_perm). */
    public void signature(long[] shingles, int count, long[] out) {
        Arrays.fill(out, Long.MAX_VALUE);
        for (int s = 0; s < count; s++) {
            long x = shingles[s] & P; // into [0, 2^61): the top three bits of a 64-bit hash are dropped
            if (x == P) {
                x = 0;
            }
            for (int i = 0; i < out.length; i++) {
                long v = mulMod(a[i], x) + b[i];
                if (v >= P) {
                    v -= P;
                }
                if (v < out[i]) {
                    out[i] = v;
                }
            }
        }
    }

    /** Share of equal positions: an unbiased estimate of the Jaccard similarity of the shingle sets. */
    public static double estimate(long[] x, long[] y) {
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i]) {
                same++;
            }
        }
        return same / (double) x.length;
    }
}
