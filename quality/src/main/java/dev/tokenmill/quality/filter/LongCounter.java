package dev.tokenmill.quality.filter;

import java.util.Arrays;

/**
 * An open-addressing long → int counter (no boxing) for n-gram hashes; cleared and reused per document. Key and
 * value share one {@code long[]} ({@code [2i]} the key, {@code [2i+1]} first position << 32 | count), so a probe
 * touches one cache line: on a book-sized document the table is far larger than the caches.
 */
final class LongCounter {
    private static final long EMPTY = 0L;
    private static final int MIN_SLOTS = 1024;
    private long[] table = new long[2 * MIN_SLOTS];
    private int mask = MIN_SLOTS - 1;
    private int lastFirst;
    private int size;

    void clear() {
        clear(0);
    }

    /**
     * Empties the counter, sized for about {@code expected} distinct keys (no rehashing while it fills). Only a
     * prefix of the table is in use, sized for the current pass: clearing it costs what the pass needs, not what the
     * largest pass of an earlier document needed.
     */
    void clear(int expected) {
        int slots = Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) << 1);
        if (slots * 2 > table.length || table.length > 8 * slots && table.length > 2 * (1 << 14)) {
            table = new long[2 * slots]; // grow to fit, or shrink after one huge document
        } else if (size > 0) {
            Arrays.fill(table, 0, 2 * (mask + 1), EMPTY); // the prefix the last pass used
        }
        mask = slots - 1;
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
        if ((size + 1) * 2 > mask + 1) {
            grow();
        }
        long[] t = table;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (true) {
            long k = t[2 * i];
            if (k == EMPTY) {
                t[2 * i] = key;
                t[2 * i + 1] = ((long) position << 32) | 1L;
                lastFirst = position;
                size++;
                return 1;
            }
            if (k == key) {
                long v = ++t[2 * i + 1];
                lastFirst = (int) (v >>> 32);
                return (int) v;
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
        long[] old = table;
        int oldLength = 2 * (mask + 1);
        table = new long[oldLength * 2];
        mask = table.length / 2 - 1;
        for (int j = 0; j < oldLength; j += 2) {
            long k = old[j];
            if (k != EMPTY) {
                int i = (int) (k ^ (k >>> 32)) & mask;
                while (table[2 * i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                table[2 * i] = k;
                table[2 * i + 1] = old[j + 1];
            }
        }
    }
}
