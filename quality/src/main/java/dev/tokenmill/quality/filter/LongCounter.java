package dev.tokenmill.quality.filter;

import java.util.Arrays;

/** An open-addressing long → int counter (no boxing) for n-gram hashes; cleared and reused per document. */
final class LongCounter {
    private static final long EMPTY = 0L;
    private long[] keys = new long[1024];
    private int[] counts = new int[1024];
    private int size;
    private boolean hasZero;
    private int zeroCount;

    void clear() {
        if (keys.length > 1 << 14) {
            keys = new long[1024]; // do not pay for one huge document's table on every later one
            counts = new int[1024];
        } else if (size > 0) {
            Arrays.fill(keys, EMPTY);
            Arrays.fill(counts, 0);
        }
        size = 0;
        hasZero = false;
        zeroCount = 0;
    }

    /** Adds one to {@code key}; returns the count after adding. */
    int increment(long key) {
        if (key == EMPTY) {
            hasZero = true;
            return ++zeroCount;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (true) {
            if (keys[i] == EMPTY) {
                keys[i] = key;
                counts[i] = 1;
                size++;
                return 1;
            }
            if (keys[i] == key) {
                return ++counts[i];
            }
            i = (i + 1) & mask;
        }
    }

    /** Current count of {@code key} (0 when absent). */
    int get(long key) {
        if (key == EMPTY) {
            return zeroCount;
        }
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return counts[i];
            }
            i = (i + 1) & mask;
        }
        return 0;
    }

    /** Adds {@code key} if absent; returns false when it was already there. */
    boolean add(long key) {
        return increment(key) == 1;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = (int) (oldKeys[j] ^ (oldKeys[j] >>> 32)) & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                counts[i] = oldCounts[j];
            }
        }
    }
}
