package dev.tokenmill.tokenizer.unigram;

import java.util.Arrays;

/**
 * A char-level trie of pieces with the edges in one open-addressing hash table (key = node and char), so a walk
 * from a start position costs one probe per char and no objects. Immutable after construction; thread-safe.
 */
public final class PieceTrie {
    private long[] keys;
    private int[] children;
    private int mask;
    private int edges;
    private int[] pieceAt = new int[16];
    private int nodes = 1;

    public PieceTrie(String[] pieces, boolean[] include) {
        int capacity = Integer.highestOneBit(Math.max(16, totalChars(pieces, include) * 2)) << 1;
        keys = new long[capacity];
        Arrays.fill(keys, -1L);
        children = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(pieceAt, -1);
        for (int id = 0; id < pieces.length; id++) {
            if (include == null || include[id]) {
                add(pieces[id], id);
            }
        }
    }

    private static int totalChars(String[] pieces, boolean[] include) {
        long n = 0;
        for (int i = 0; i < pieces.length; i++) {
            if (include == null || include[i]) {
                n += pieces[i].length();
            }
        }
        return (int) Math.min(n, 1 << 29);
    }

    private void add(String piece, int id) {
        int node = 0;
        for (int i = 0; i < piece.length(); i++) {
            int next = child(node, piece.charAt(i));
            if (next < 0) {
                next = nodes++;
                if (next >= pieceAt.length) {
                    int old = pieceAt.length;
                    pieceAt = Arrays.copyOf(pieceAt, old * 2);
                    Arrays.fill(pieceAt, old, pieceAt.length, -1);
                }
                put(node, piece.charAt(i), next);
            }
            node = next;
        }
        if (pieceAt[node] < 0) {
            pieceAt[node] = id;
        }
    }

    private static long key(int node, char c) {
        return ((long) node << 16) | c;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    private void put(int node, char c, int child) {
        long k = key(node, c);
        int s = slot(k, mask);
        while (keys[s] != -1L) {
            s = (s + 1) & mask;
        }
        keys[s] = k;
        children[s] = child;
        edges++;
    }

    /** The child of {@code node} along {@code c}, or -1. The root is node 0. */
    public int child(int node, char c) {
        long k = key(node, c);
        int s = slot(k, mask);
        while (true) {
            long found = keys[s];
            if (found == k) {
                return children[s];
            }
            if (found == -1L) {
                return -1;
            }
            s = (s + 1) & mask;
        }
    }

    /** The piece id ending at this node, or -1. */
    public int pieceAt(int node) {
        return pieceAt[node];
    }
}
