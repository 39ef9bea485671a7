package dev.tokenmill.dedup.minhash;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A document's shingle hashes as a sorted set packed into bytes (8 per hash, big-endian), the form candidate
 * pairs carry through a join; exact Jaccard is then one merge pass over two sorted arrays.
 */
public final class ShingleSet {
    private ShingleSet() {
    }

    /** Sorts and de-duplicates the first {@code count} hashes and packs them. */
    public static byte[] pack(long[] hashes, int count) {
        long[] sorted = Arrays.copyOf(hashes, count);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        ByteBuffer out = ByteBuffer.allocate(distinct * Long.BYTES);
        for (int i = 0; i < distinct; i++) {
            out.putLong(sorted[i]);
        }
        return out.array();
    }

    /** |A ∩ B| / |A ∪ B| of two packed sets; 0 when both are empty. */
    public static double jaccard(byte[] a, byte[] b) {
        int na = a.length / Long.BYTES;
        int nb = b.length / Long.BYTES;
        if (na + nb == 0) {
            return 0;
        }
        ByteBuffer x = ByteBuffer.wrap(a);
        ByteBuffer y = ByteBuffer.wrap(b);
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < na && j < nb) {
            long u = x.getLong(i * Long.BYTES);
            long v = y.getLong(j * Long.BYTES);
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
