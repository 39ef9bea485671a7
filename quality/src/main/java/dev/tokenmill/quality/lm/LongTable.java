package dev.tokenmill.quality.lm;

/**
 * Open-addressing map from a 64-bit n-gram hash to a row of int and long columns, without boxing: an n-gram
 * model of a large reference corpus holds tens of millions of entries.
 */
final class LongTable {
    private static final long EMPTY = 0L;
    private static final long EMPTY_REMAP = 0x5555555555555555L;

    private long[] keys;
    private int[][] ints;
    private long[][] longs;
    private int size;

    LongTable(int intColumns, int longColumns, int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        ints = new int[intColumns][capacity];
        longs = new long[longColumns][capacity];
    }

    private static long key(long k) {
        return k == EMPTY ? EMPTY_REMAP : k;
    }

    /** Slot of {@code key}, or -1 when absent. */
    int find(long key) {
        key = key(key);
        int mask = keys.length - 1;
        int i = spread(key) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Slot of {@code key}, inserted with zero columns when absent; {@link #wasInserted()} tells which. */
    int slot(long key) {
        key = key(key);
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = spread(key) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                inserted = false;
                return i;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        size++;
        inserted = true;
        return i;
    }

    private boolean inserted;

    boolean wasInserted() {
        return inserted;
    }

    int size() {
        return size;
    }

    int capacity() {
        return keys.length;
    }

    boolean used(int slot) {
        return keys[slot] != EMPTY;
    }

    long keyAt(int slot) {
        return keys[slot];
    }

    int[] ints(int column) {
        return ints[column];
    }

    long[] longs(int column) {
        return longs[column];
    }

    private static int spread(long key) {
        return (int) (key ^ (key >>> 32));
    }

    private void grow() {
        long[] oldKeys = keys;
        int[][] oldInts = ints;
        long[][] oldLongs = longs;
        int capacity = oldKeys.length * 2;
        keys = new long[capacity];
        ints = new int[oldInts.length][capacity];
        longs = new long[oldLongs.length][capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = spread(oldKeys[j]) & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                for (int c = 0; c < ints.length; c++) {
                    ints[c][i] = oldInts[c][j];
                }
                for (int c = 0; c < longs.length; c++) {
                    longs[c][i] = oldLongs[c][j];
                }
            }
        }
    }
}
