package dev.tokenmill.quality.filter;

import java.util.Arrays;

/** An open-addressing long → int counter (no boxing) for n-gram hashes; cleared and reused per document. */
final class LongCounter {
    private static final long EMPTY = 0L;
    private long[] keys = new long[1024];
    private int[] counts = new int[1024];
    private int[] firsts = new int[1024];
    private int lastFirst;
    private int size;

    void clear() {
        if (keys.length > 1 << 14) {
            keys = new long[1024]; // do not pay for one huge document's table on every later one
            counts = new int[1024];
            firsts = new int[1024];
        } else if (size > 0) {
            Arrays.fill(keys, EMPTY); // counts and firsts are written on insert
        }
        size = 0;
    }

    /** Adds one to {@code key}; returns the count after adding. */
    int increment(long key) {
        return increment(key, 0);
    }

    /**
     * Adds one to {@code key}, remembering {@code position} when the key is new; {@link #lastFirst()} then gives
     * the position at which this key was first added.
     */
    int increment(long key, int position) {
        if (key == EMPTY) {
            key = 0x5555555555555555L; // the empty marker cannot be a key; remap (collision odds are 2^-64)
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
                firsts[i] = position;
                lastFirst = position;
                size++;
                return 1;
            }
            if (keys[i] == key) {
                lastFirst = firsts[i];
                return ++counts[i];
            }
            i = (i + 1) & mask;
        }
    }

    /** Position given when the key of the last {@link #increment(long, int)} was first added. */
    int lastFirst() {
        return lastFirst;
    }

    /** Adds {@code key} if absent; returns false when it was already there. */
    boolean add(long key) {
        return increment(key) == 1;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        int[] oldFirsts = firsts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        firsts = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = (int) (oldKeys[j] ^ (oldKeys[j] >>> 32)) & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                counts[i] = oldCounts[j];
                firsts[i] = oldFirsts[j];
            }
        }
    }
}
