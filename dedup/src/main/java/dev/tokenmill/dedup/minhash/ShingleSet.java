package dev.tokenmill.dedup.minhash;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A document's shingle hashes as a sorted set packed into bytes, the form candidate pairs carry through the
 * verification join; Jaccard is then one merge pass over two sorted arrays. Each 64-bit shingle hash is folded to
 * 32 bits (4 bytes a shingle, half the shuffle): two documents of n shingles then share a false match with
 * probability about n²/2³², under 0.001 for n = 2,000, so the result equals exact Jaccard to three decimals.
 */
public final class ShingleSet {
    private ShingleSet() {}

    /** Folds, sorts and de-duplicates the first {@code count} hashes and packs them (4 bytes each, big-endian). */
    public static byte[] pack(long[] hashes, int count) {
        int[] folded = new int[count];
        for (int i = 0; i < count; i++) {
            folded[i] = (int) (hashes[i] ^ (hashes[i] >>> 32));
        }
        Arrays.sort(folded);
        int distinct = 0;
        for (int i = 0; i < folded.length; i++) {
            if (i == 0 || folded[i] != folded[i - 1]) {
                folded[distinct++] = folded[i];
            }
        }
        ByteBuffer out = ByteBuffer.allocate(distinct * Integer.BYTES);
        for (int i = 0; i < distinct; i++) {
            out.putInt(folded[i]);
        }
        return out.array();
    }

    /** |A ∩ B| / |A ∪ B| of two packed sets; 0 when both are empty. */
    public static double jaccard(byte[] a, byte[] b) {
        int na = a.length / Integer.BYTES;
        int nb = b.length / Integer.BYTES;
        if (na + nb == 0) {
            return 0;
        }
        ByteBuffer x = ByteBuffer.wrap(a);
        ByteBuffer y = ByteBuffer.wrap(b);
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < na && j < nb) {
            int u = x.getInt(i * Integer.BYTES);
            int v = y.getInt(j * Integer.BYTES);
            if (u == v) {
                common++;
                i++;
                j++;
            } else if (u < v) {
                i++;
            } else {
                j++;
            }
        }
        return common / (double) (na + nb - common);
    }
}
