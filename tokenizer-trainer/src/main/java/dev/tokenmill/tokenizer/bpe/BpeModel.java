package dev.tokenmill.tokenizer.bpe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trained byte-level BPE: vocabulary (id = position), merges in priority order, special tokens. Encodes like HF
 * tokenizers: special tokens are cut out first, the rest is pre-tokenized, each pre-token's bytes become symbols and
 * the adjacent pair with the lowest merge rank is merged until none is left. Frequent pre-tokens are cached.
 * Thread-safe; decode(encode(text)) == text for every string that is valid UTF-16 (any UTF-8 input).
 */
public final class BpeModel implements dev.tokenmill.tokenizer.TextTokenizer {
    private static final int CACHE_LIMIT = 200_000;

    private final List<String> vocab;
    private final List<int[]> merges;
    private final List<String> specialTokens;
    private final Map<String, Integer> ids = new HashMap<>();
    /** pair key → {rank, merged id} */
    private final Map<Long, int[]> ranks = new HashMap<>();

    private final int byteBase;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();
    private volatile PreTokenizer preTokenizer = PreTokenizer.of("gpt2");

    public BpeModel(List<String> vocab, List<int[]> merges, List<String> specialTokens) {
        this.vocab = List.copyOf(vocab);
        this.merges = List.copyOf(merges);
        this.specialTokens = List.copyOf(specialTokens);
        for (int i = 0; i < vocab.size(); i++) {
            ids.putIfAbsent(vocab.get(i), i);
        }
        this.byteBase = ids.get(String.valueOf(ByteLevel.charOf(0)));
        for (int r = 0; r < merges.size(); r++) {
            int[] m = merges.get(r);
            Integer merged = ids.get(vocab.get(m[0]) + vocab.get(m[1]));
            ranks.put(BpeTrainer.key(m[0], m[1]), new int[] {r, merged});
        }
    }

    public BpeModel withPreTokenizer(PreTokenizer p) {
        this.preTokenizer = p;
        cache.clear();
        return this;
    }

    public PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    public List<String> vocab() {
        return vocab;
    }

    public List<int[]> merges() {
        return merges;
    }

    @Override
    public List<String> specialTokens() {
        return specialTokens;
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    @Override
    public int[] encode(String text) {
        IntArray out = new IntArray();
        int from = 0;
        while (from < text.length()) {
            int at = -1;
            String special = null;
            for (String s : specialTokens) {
                int i = text.indexOf(s, from);
                if (i >= 0 && (at < 0 || i < at || (i == at && s.length() > special.length()))) {
                    at = i;
                    special = s;
                }
            }
            int end = at < 0 ? text.length() : at;
            if (end > from) {
                preTokenizer.split(text.substring(from, end), piece -> out.addAll(encodeWord(piece)));
            }
            if (at < 0) {
                break;
            }
            out.add(ids.get(special));
            from = at + special.length();
        }
        return out.toArray();
    }

    /** The ids of one pre-token. */
    int[] encodeWord(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = byteBase + (bytes[i] & 0xFF);
        }
        int n = symbols.length;
        while (n > 1) {
            int bestRank = Integer.MAX_VALUE;
            int bestAt = -1;
            int bestId = -1;
            for (int i = 0; i + 1 < n; i++) {
                int[] r = ranks.get(BpeTrainer.key(symbols[i], symbols[i + 1]));
                if (r != null && r[0] < bestRank) {
                    bestRank = r[0];
                    bestAt = i;
                    bestId = r[1];
                }
            }
            if (bestAt < 0) {
                break;
            }
            int left = symbols[bestAt];
            int right = symbols[bestAt + 1];
            int w = 0;
            for (int i = 0; i < n; i++) {
                if (i + 1 < n && symbols[i] == left && symbols[i + 1] == right) {
                    symbols[w++] = bestId;
                    i++;
                } else {
                    symbols[w++] = symbols[i];
                }
            }
            n = w;
        }
        int[] result = java.util.Arrays.copyOf(symbols, n);
        if (cache.size() < CACHE_LIMIT) {
            cache.put(piece, result);
        }
        return result;
    }

    @Override
    public String decode(int[] tokens) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int id : tokens) {
            String token = vocab.get(id);
            if (specialTokens.contains(token)) {
                bytes.writeBytes(token.getBytes(StandardCharsets.UTF_8));
            } else {
                bytes.writeBytes(ByteLevel.bytes(token));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Counts the pre-tokens of {@code texts} as byte-level strings (the trainer's input). */
    public static Map<String, Long> countWords(Iterable<String> texts, PreTokenizer preTokenizer) {
        Map<String, Long> counts = new HashMap<>();
        for (String t : texts) {
            preTokenizer.split(t, piece -> counts.merge(ByteLevel.encode(piece), 1L, Long::sum));
        }
        return counts;
    }

    private static final class IntArray {
        private int[] values = new int[64];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) {
                add(v);
            }
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    /** Merges as token strings, for export. */
    public List<String[]> mergeStrings() {
        List<String[]> out = new ArrayList<>();
        for (int[] m : merges) {
            out.add(new String[] {vocab.get(m[0]), vocab.get(m[1])});
        }
        return out;
    }
}
