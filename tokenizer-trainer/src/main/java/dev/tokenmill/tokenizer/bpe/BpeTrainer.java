package dev.tokenmill.tokenizer.bpe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Byte-level BPE training in the Hugging Face manner: words (pre-tokens) counted once, then merges chosen from a
 * max-heap of pair counts with lazy invalidation, and after each merge only the words containing the merged pair are
 * revisited (an index pair → words), never a rescan of the corpus. Ties go to the smaller (left id, right id), so
 * the result is deterministic. The vocabulary is: special tokens, the 256 byte symbols, then one token per merge.
 */
public final class BpeTrainer {

    /** Training settings; {@code minFrequency}: a pair seen fewer times is never merged. */
    /**
     * {@code limitAlphabet}: at most this many byte symbols (the most frequent) take part in merges; 0 = all 256.
     * As HF's {@code limit_alphabet}, rare characters never merge — but all 256 bytes stay in the vocabulary, so
     * encoding stays lossless.
     */
    public record Options(int vocabSize, int minFrequency, List<String> specialTokens, int limitAlphabet) {
        public Options(int vocabSize, int minFrequency, List<String> specialTokens) {
            this(vocabSize, minFrequency, specialTokens, 0);
        }

        public Options {
            if (limitAlphabet < 0 || limitAlphabet > 256) {
                throw new IllegalArgumentException("limit_alphabet must be 0 (no limit) to 256, got " + limitAlphabet);
            }
            specialTokens = List.copyOf(specialTokens);
            if (vocabSize < specialTokens.size() + 256) {
                throw new IllegalArgumentException("vocab_size " + vocabSize + " is smaller than the "
                        + specialTokens.size() + " special tokens + 256 byte symbols");
            }
            if (minFrequency < 1) {
                throw new IllegalArgumentException("min_frequency must be at least 1, got " + minFrequency);
            }
        }
    }

    private final Options options;

    public BpeTrainer(Options options) {
        this.options = options;
    }

    /** Trains on word counts (pre-tokens as byte-level strings → occurrences). */
    public BpeModel train(Map<String, Long> wordCounts) {
        return train(wordCounts, line -> {});
    }

    /** As {@link #train(Map)}, saying "merges done / planned" to {@code progress} every {@link #PROGRESS_EVERY} merges. */
    public BpeModel train(Map<String, Long> wordCounts, java.util.function.Consumer<String> progress) {
        Run run = new Run(wordCounts);
        run.progress = progress;
        return run.merge();
    }

    public static final int PROGRESS_EVERY = 2000;

    /** The state of one training call (so a trainer is reentrant): vocabulary, words as symbols, pair counts, heap. */
    private final class Run {
        private final List<String> vocab = new ArrayList<>(options.specialTokens());
        private final Map<String, Integer> ids = new HashMap<>();
        private final int[][] words;
        private final long[] counts;
        private final boolean[] frozen;
        private final Map<Long, long[]> pairCounts = new HashMap<>();
        private final Map<Long, IntList> pairWords = new HashMap<>();
        private final PriorityQueue<long[]> heap =
                new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(y[0], x[0]) : Long.compare(x[1], y[1]));
        private final List<int[]> merges = new ArrayList<>();
        private final int[] seen;

        Run(Map<String, Long> wordCounts) {
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i), i);
            }
            int byteBase = vocab.size();
            for (int b = 0; b < 256; b++) {
                String symbol = String.valueOf(ByteLevel.charOf(b));
                if (ids.putIfAbsent(symbol, vocab.size()) != null) {
                    throw new IllegalArgumentException("special token '" + symbol + "' collides with a byte symbol");
                }
                vocab.add(symbol);
            }
            // words as symbol arrays, sorted so the input map's order cannot change the result
            List<String> keys = new ArrayList<>(wordCounts.keySet());
            keys.sort(null);
            words = new int[keys.size()][];
            counts = new long[keys.size()];
            long[] byteCounts = new long[256];
            for (int w = 0; w < words.length; w++) {
                String word = keys.get(w);
                byte[] bytes = ByteLevel.bytes(word);
                int[] symbols = new int[bytes.length];
                counts[w] = wordCounts.get(word);
                for (int i = 0; i < bytes.length; i++) {
                    symbols[i] = byteBase + (bytes[i] & 0xFF);
                    byteCounts[bytes[i] & 0xFF] += counts[w];
                }
                words[w] = symbols;
            }
            frozen = frozenBytes(byteCounts, byteBase, options.limitAlphabet());
            for (int w = 0; w < words.length; w++) {
                int[] symbols = words[w];
                for (int i = 0; i + 1 < symbols.length; i++) {
                    if (mergeable(frozen, symbols[i], symbols[i + 1])) {
                        long key = key(symbols[i], symbols[i + 1]);
                        pairCounts.computeIfAbsent(key, k -> new long[1])[0] += counts[w];
                        pairWords.computeIfAbsent(key, k -> new IntList()).add(w);
                    }
                }
            }
            pairCounts.forEach((k, c) -> heap.add(new long[] {c[0], k}));
            seen = new int[words.length];
            java.util.Arrays.fill(seen, -1);
        }

        private java.util.function.Consumer<String> progress = line -> {};

        /** Merges the most frequent pair (ties: the smaller pair key) until the vocabulary is full or pairs are rare. */
        BpeModel merge() {
            int start = vocab.size();
            int planned = options.vocabSize() - start;
            int reported = start;
            while (vocab.size() < options.vocabSize() && !heap.isEmpty()) {
                if (vocab.size() - reported >= PROGRESS_EVERY) {
                    reported = vocab.size();
                    progress.accept(String.format("merges %,d / %,d", reported - start, planned));
                }
                long[] top = heap.poll();
                long[] current = pairCounts.get(top[1]);
                long count = current == null ? 0 : current[0];
                if (count != top[0]) {
                    if (count > 0 && count < top[0]) {
                        heap.add(new long[] {count, top[1]}); // it went down since it was queued
                    }
                    continue;
                }
                if (count < options.minFrequency()) {
                    break;
                }
                int left = (int) (top[1] >>> 32);
                int right = (int) top[1];
                String token = vocab.get(left) + vocab.get(right);
                if (ids.containsKey(token)) {
                    // the same string reached by another merge order: keep the first id, do not add it twice
                    pairCounts.remove(top[1]);
                    continue;
                }
                int merged = vocab.size();
                vocab.add(token);
                ids.put(token, merged);
                merges.add(new int[] {left, right});
                Map<Long, Long> changed = rewriteWords(top[1], left, right, merged);
                pairCounts.remove(top[1]);
                requeue(changed, top[1]);
            }
            return new BpeModel(vocab, merges, options.specialTokens());
        }

        /** Applies the merge to every word holding the pair; returns the change of each pair's count. */
        private Map<Long, Long> rewriteWords(long pair, int left, int right, int merged) {
            Map<Long, Long> changed = new HashMap<>();
            for (int w : pairWords.remove(pair).toArray()) {
                if (seen[w] == merged) {
                    continue;
                }
                seen[w] = merged;
                int[] old = words[w];
                int[] now = applyMerge(old, left, right, merged);
                if (now.length == old.length) {
                    continue;
                }
                long c = counts[w];
                for (int i = 0; i + 1 < old.length; i++) {
                    if (mergeable(frozen, old[i], old[i + 1])) {
                        changed.merge(key(old[i], old[i + 1]), -c, Long::sum);
                    }
                }
                for (int i = 0; i + 1 < now.length; i++) {
                    if (!mergeable(frozen, now[i], now[i + 1])) {
                        continue;
                    }
                    long k = key(now[i], now[i + 1]);
                    changed.merge(k, c, Long::sum);
                    if (now[i] == merged || now[i + 1] == merged) {
                        pairWords.computeIfAbsent(k, x -> new IntList()).add(w);
                    }
                }
                words[w] = now;
            }
            return changed;
        }

        /** New counts into the table; a pair that grew is queued again (one that shrank is re-queued lazily). */
        private void requeue(Map<Long, Long> changed, long mergedPair) {
            for (Map.Entry<Long, Long> e : changed.entrySet()) {
                if (e.getKey() == mergedPair || e.getValue() == 0) {
                    continue;
                }
                long[] c = pairCounts.computeIfAbsent(e.getKey(), k -> new long[1]);
                c[0] += e.getValue();
                if (c[0] <= 0) {
                    pairCounts.remove(e.getKey());
                } else if (e.getValue() > 0) {
                    heap.add(new long[] {c[0], e.getKey()});
                }
            }
        }
    }

    /** Byte symbols outside the {@code limit} most frequent (ties: lower byte first) never merge. */
    private static boolean[] frozenBytes(long[] byteCounts, int byteBase, int limit) {
        boolean[] frozen = new boolean[byteBase + 256];
        if (limit == 0) {
            return frozen;
        }
        Integer[] order = new Integer[256];
        for (int b = 0; b < 256; b++) {
            order[b] = b;
        }
        java.util.Arrays.sort(
                order,
                (a, b) -> byteCounts[a] != byteCounts[b]
                        ? Long.compare(byteCounts[b], byteCounts[a])
                        : Integer.compare(a, b));
        for (int r = limit; r < 256; r++) {
            frozen[byteBase + order[r]] = true;
        }
        return frozen;
    }

    private static boolean mergeable(boolean[] frozen, int left, int right) {
        return !(left < frozen.length && frozen[left]) && !(right < frozen.length && frozen[right]);
    }

    static int[] applyMerge(int[] symbols, int left, int right, int merged) {
        int[] out = new int[symbols.length];
        int n = 0;
        for (int i = 0; i < symbols.length; i++) {
            if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = symbols[i];
            }
        }
        return n == symbols.length ? symbols : java.util.Arrays.copyOf(out, n);
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** A growable int array (word indices of a pair; duplicates allowed, skipped when read). */
    static final class IntList {
        private int[] values = new int[4];
        private int size;

        void add(int v) {
            if (size > 0 && values[size - 1] == v) {
                return;
            }
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
