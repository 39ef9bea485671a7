package dev.tokenmill.tokenizer.unigram;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trained Unigram language model over pieces, encoded like SentencePiece: normalise, then the best-scoring
 * segmentation by Viterbi (double sums, the earliest start wins a tie, an unknown character scores min − 10); unknown
 * characters become their UTF-8 bytes ({@code <0xXX>}) when byte fallback is on, one {@code <unk>} per run
 * otherwise. No piece holds {@code ▁} after its first char, so each {@code ▁word} segments on its own and
 * frequent words are cached. Thread-safe.
 */
public final class UnigramModel implements dev.tokenmill.tokenizer.TextTokenizer {
    public enum Type {
        NORMAL,
        UNKNOWN,
        CONTROL,
        USER_DEFINED,
        UNUSED,
        BYTE
    }

    private static final float UNK_PENALTY = 10.0f;
    private static final int CACHE_LIMIT = 200_000;

    private final String[] pieces;
    private final float[] scores;
    private final Type[] types;
    private final SpmNormalizer normalizer;
    private final boolean byteFallback;
    private final int unkId;
    private final int[] byteIds = new int[256];
    private final Map<String, Integer> ids = new HashMap<>();
    private final PieceTrie trie;
    private final float unkScore;
    private final boolean wordSplittable;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    public UnigramModel(
            List<String> pieces, float[] scores, List<Type> types, SpmNormalizer normalizer, boolean byteFallback) {
        this.pieces = pieces.toArray(String[]::new);
        this.scores = scores.clone();
        this.types = types.toArray(Type[]::new);
        this.normalizer = normalizer;
        this.byteFallback = byteFallback;
        java.util.Arrays.fill(byteIds, -1);
        int unk = -1;
        boolean[] inTrie = new boolean[this.pieces.length];
        float min = Float.MAX_VALUE;
        boolean splittable = true;
        for (int i = 0; i < this.pieces.length; i++) {
            ids.putIfAbsent(this.pieces[i], i);
            switch (this.types[i]) {
                case UNKNOWN -> unk = unk < 0 ? i : unk;
                case BYTE -> byteIds[Integer.parseInt(this.pieces[i].substring(3, 5), 16)] = i;
                case NORMAL, USER_DEFINED -> {
                    inTrie[i] = true;
                    min = Math.min(min, scores[i]);
                    splittable &= this.pieces[i].indexOf(SpmNormalizer.SPACE, 1) < 0;
                }
                default -> {}
            }
        }
        if (unk < 0) {
            throw new IllegalArgumentException("a Unigram model needs an unknown piece");
        }
        if (byteFallback) {
            for (int b = 0; b < 256; b++) {
                if (byteIds[b] < 0) {
                    throw new IllegalArgumentException("byte fallback needs the piece <0x" + hex(b) + ">");
                }
            }
        }
        this.unkId = unk;
        this.unkScore = (min == Float.MAX_VALUE ? 0 : min) - UNK_PENALTY;
        this.trie = new PieceTrie(this.pieces, inTrie);
        this.wordSplittable = splittable;
    }

    static String hex(int b) {
        return String.format("%02X", b);
    }

    public static String bytePiece(int b) {
        return "<0x" + hex(b) + ">";
    }

    public List<String> pieces() {
        return List.of(pieces);
    }

    public float score(int id) {
        return scores[id];
    }

    public Type type(int id) {
        return types[id];
    }

    public int size() {
        return pieces.length;
    }

    public SpmNormalizer normalizer() {
        return normalizer;
    }

    public boolean byteFallback() {
        return byteFallback;
    }

    public int unkId() {
        return unkId;
    }

    @Override
    public List<String> specialTokens() {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < pieces.length; i++) {
            if (types[i] == Type.CONTROL || types[i] == Type.UNKNOWN) {
                out.add(pieces[i]);
            }
        }
        return out;
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public int id(String piece) {
        Integer id = ids.get(piece);
        return id == null ? -1 : id;
    }

    @Override
    public int[] encode(String text) {
        String normalized = normalizer.normalize(text);
        IntList out = new IntList(normalized.length() / 3 + 4);
        if (!wordSplittable) {
            encodeNormalized(normalized, out);
            return out.toArray();
        }
        int start = 0;
        for (int i = 1; i <= normalized.length(); i++) {
            if (i == normalized.length() || normalized.charAt(i) == SpmNormalizer.SPACE) {
                String word = normalized.substring(start, i);
                int[] cached = cache.get(word);
                if (cached == null) {
                    IntList w = new IntList(8);
                    encodeNormalized(word, w);
                    cached = w.toArray();
                    if (cache.size() < CACHE_LIMIT) {
                        cache.put(word, cached);
                    }
                }
                out.addAll(cached);
                start = i;
            }
        }
        return out.toArray();
    }

    /** Viterbi over an already normalised string, as SentencePiece's optimised encoder does it. */
    void encodeNormalized(String s, IntList out) {
        int n = s.length();
        if (n == 0) {
            return;
        }
        double[] best = new double[n + 1];
        int[] startsAt = new int[n + 1];
        int[] id = new int[n + 1];
        java.util.Arrays.fill(startsAt, -1);
        int start = 0;
        while (start < n) {
            double here = best[start];
            int charLen = Character.isHighSurrogate(s.charAt(start)) && start + 1 < n ? 2 : 1;
            boolean single = false;
            int node = 0;
            for (int end = start; end < n; end++) {
                node = trie.child(node, s.charAt(end));
                if (node < 0) {
                    break;
                }
                int piece = trie.pieceAt(node);
                if (piece >= 0) {
                    int at = end + 1;
                    double candidate = here + scores[piece];
                    if (startsAt[at] == -1 || candidate > best[at]) {
                        best[at] = candidate;
                        startsAt[at] = start;
                        id[at] = piece;
                    }
                    single |= at - start == charLen;
                }
            }
            if (!single) {
                int at = start + charLen;
                double candidate = here + unkScore;
                if (startsAt[at] == -1 || candidate > best[at]) {
                    best[at] = candidate;
                    startsAt[at] = start;
                    id[at] = unkId;
                }
            }
            start += charLen;
        }
        int count = 0;
        for (int at = n; at > 0; at = startsAt[at]) {
            count++;
        }
        int[] path = new int[count];
        int[] ends = new int[count];
        for (int at = n, k = count - 1; at > 0; at = startsAt[at], k--) {
            path[k] = id[at];
            ends[k] = at;
        }
        for (int k = 0; k < count; k++) {
            if (path[k] != unkId) {
                out.add(path[k]);
                continue;
            }
            int from = k == 0 ? 0 : ends[k - 1];
            if (byteFallback) {
                for (byte b : s.substring(from, ends[k]).getBytes(StandardCharsets.UTF_8)) {
                    out.add(byteIds[b & 0xFF]);
                }
            } else if (k == 0 || path[k - 1] != unkId) {
                out.add(unkId);
            }
        }
    }

    /** Pieces back to text: {@code ▁} to spaces, byte runs decoded as UTF-8, the dummy prefix dropped. */
    @Override
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int t : tokens) {
            if (types[t] == Type.BYTE) {
                bytes.write(Integer.parseInt(pieces[t].substring(3, 5), 16));
                continue;
            }
            if (bytes.size() > 0) {
                sb.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            if (types[t] == Type.NORMAL || types[t] == Type.USER_DEFINED) {
                sb.append(pieces[t]);
            } else if (types[t] == Type.UNKNOWN) {
                sb.append(" \u2047 ");
            }
        }
        if (bytes.size() > 0) {
            sb.append(bytes.toString(StandardCharsets.UTF_8));
        }
        return normalizer.denormalize(sb.toString());
    }

    /** A growable int array; avoids boxing on the encode path. */
    static final class IntList {
        private int[] a;
        private int n;

        IntList(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void addAll(int[] vs) {
            if (n + vs.length > a.length) {
                a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, n + vs.length));
            }
            System.arraycopy(vs, 0, a, n, vs.length);
            n += vs.length;
        }

        int size() {
            return n;
        }

        int last() {
            return a[n - 1];
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
