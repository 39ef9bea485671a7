package dev.tokenmill.tokenizer.unigram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A byte-keyed double-array trie in the darts-clone unit layout, which is what SentencePiece's precompiled
 * character map (and HF tokenizers' {@code Precompiled} normalizer) read. A unit holds a label (low 8 bits), a
 * has-leaf flag (bit 8) and the XOR offset to its children (bits 10–30, bit 9 = offset scaled by 256); a child with
 * label {@code b} of the unit at {@code id} sits at {@code id ^ offset ^ b}, the value at {@code id ^ offset} (bit 31
 * set). Each child block's base is used by one node only, so a label check is enough to reject foreign slots.
 */
public final class DoubleArrayTrie {
    private static final int VALUE_FLAG = 1 << 31;

    private final int[] units;

    public DoubleArrayTrie(int[] units) {
        this.units = units;
    }

    public int[] units() {
        return units;
    }

    /** Builds a trie of distinct, non-empty keys (no 0 byte) with non-negative values. */
    public static DoubleArrayTrie build(List<byte[]> keys, int[] values) {
        Node root = new Node();
        for (int k = 0; k < keys.size(); k++) {
            Node n = root;
            for (byte b : keys.get(k)) {
                int label = b & 0xFF;
                if (label == 0) {
                    throw new IllegalArgumentException("a key contains a 0 byte");
                }
                n = n.child(label);
            }
            n.value = values[k];
        }
        int[] out = new int[1024];
        BitSet usedSlots = new BitSet();
        BitSet usedBases = new BitSet();
        usedSlots.set(0);
        ArrayDeque<Object[]> queue = new ArrayDeque<>();
        queue.add(new Object[] {root, 0});
        int searchFrom = 1;
        int maxBase = 0;
        while (!queue.isEmpty()) {
            Object[] item = queue.poll();
            Node node = (Node) item[0];
            int id = (Integer) item[1];
            if (node.labels.isEmpty() && node.value < 0) {
                continue;
            }
            int base = findBase(node, id, usedSlots, usedBases, searchFrom);
            searchFrom = Math.max(1, usedSlots.nextClearBit(searchFrom));
            usedBases.set(base);
            maxBase = Math.max(maxBase, base);
            int offset = id ^ base;
            out = grow(out, base | 0xFF);
            out[id] = encodeOffset(out[id], offset);
            if (node.value >= 0) {
                out[id] |= 1 << 8;
                out[base] = node.value | VALUE_FLAG;
                usedSlots.set(base);
            }
            for (int i = 0; i < node.labels.size(); i++) {
                int label = node.labels.get(i);
                int slot = base ^ label;
                usedSlots.set(slot);
                out[slot] = label;
                queue.add(new Object[] {node.children.get(i), slot});
            }
        }
        // readers do not bounds-check: every slot a lookup can reach (base ^ any byte) must exist
        return new DoubleArrayTrie(Arrays.copyOf(out, (maxBase | 0xFF) + 1));
    }

    private static int findBase(Node node, int id, BitSet usedSlots, BitSet usedBases, int searchFrom) {
        for (int base = searchFrom; ; base++) {
            if (usedBases.get(base) || (node.value >= 0 && usedSlots.get(base))) {
                continue;
            }
            int offset = id ^ base;
            if (offset >= (1 << 21) && ((offset & 0xFF) != 0 || offset >= (1 << 29))) {
                continue;
            }
            boolean free = true;
            for (int label : node.labels) {
                if (usedSlots.get(base ^ label)) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return base;
            }
        }
    }

    private static int encodeOffset(int unit, int offset) {
        unit &= VALUE_FLAG | (1 << 8) | 0xFF;
        return offset < (1 << 21) ? unit | (offset << 10) : unit | (offset << 2) | (1 << 9);
    }

    private static int[] grow(int[] a, int maxIndex) {
        return maxIndex < a.length ? a : Arrays.copyOf(a, Math.max(a.length * 2, maxIndex + 1));
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }

    private static boolean hasLeaf(int unit) {
        return ((unit >>> 8) & 1) == 1;
    }

    private static int label(int unit) {
        return unit & (VALUE_FLAG | 0xFF);
    }

    /** Length (bytes) and value of the longest key that is a prefix of {@code key[from..]}; {@code null} if none. */
    public int[] longestPrefix(byte[] key, int from) {
        int id = offset(units[0]);
        int[] best = null;
        for (int i = from; i < key.length; i++) {
            int b = key[i] & 0xFF;
            id ^= b;
            if (id >= units.length || label(units[id]) != b) {
                break;
            }
            boolean leaf = hasLeaf(units[id]);
            id ^= offset(units[id]);
            if (leaf) {
                best = new int[] {i - from + 1, units[id] & ~VALUE_FLAG};
            }
        }
        return best;
    }

    /** Every (key, value) pair, in byte order. */
    public void forEach(BiConsumer<byte[], Integer> visitor) {
        walk(0, new byte[0], visitor);
    }

    private void walk(int id, byte[] prefix, BiConsumer<byte[], Integer> visitor) {
        int base = id ^ offset(units[id]);
        if (id != 0 && hasLeaf(units[id])) {
            visitor.accept(prefix, units[base] & ~VALUE_FLAG);
        }
        for (int b = 1; b < 256; b++) {
            int slot = base ^ b;
            if (slot < units.length && slot != 0 && label(units[slot]) == b && units[slot] != 0) {
                byte[] next = Arrays.copyOf(prefix, prefix.length + 1);
                next[prefix.length] = (byte) b;
                walk(slot, next, visitor);
            }
        }
    }

    private static final class Node {
        final List<Integer> labels = new ArrayList<>();
        final List<Node> children = new ArrayList<>();
        int value = -1;

        Node child(int label) {
            int i = labels.indexOf(label);
            if (i >= 0) {
                return children.get(i);
            }
            // labels stay sorted so the layout (and the exported bytes) do not depend on insertion order
            int at = 0;
            while (at < labels.size() && labels.get(at) < label) {
                at++;
            }
            Node n = new Node();
            labels.add(at, label);
            children.add(at, n);
            return n;
        }
    }
}
