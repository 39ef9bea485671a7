package dev.tokenmill.mixing.decontam;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every n-gram (13 words by default, as in GPT-3's and Llama's contamination studies) of the evaluation sets,
 * as 64-bit hashes in a sorted array with the benchmark each came from. A training document is contaminated
 * when it shares at least {@code minMatches} n-grams with a benchmark. Passages shorter than n words are indexed
 * whole (as one shorter n-gram) when they have at least {@code minWords}, else skipped and counted. Serializable:
 * broadcast once, probed in Spark tasks.
 */
public final class EvalIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What one evaluation set contributed. */
    public record BenchmarkStats(String name, int passages, int ngrams, int skippedShort) implements Serializable {}

    /** A document's overlap: the benchmark with most matching n-grams, their count, and one matching n-gram. */
    public record Match(String benchmark, int ngrams, String example) {}

    private final int n;
    private final int minWords;
    private final long[] hashes;
    private final int[] benchmarkOf;
    /** Open addressing over {@link #hashes}: slot → index + 1 (0 = empty); probing costs about one cache miss. */
    private final int[] table;

    private final String[] benchmarks;
    private final int[] shortLengths;
    private final List<BenchmarkStats> stats;

    private EvalIndex(
            int n,
            int minWords,
            long[] hashes,
            int[] benchmarkOf,
            String[] benchmarks,
            int[] shortLengths,
            List<BenchmarkStats> stats) {
        this.n = n;
        this.minWords = minWords;
        this.hashes = hashes;
        this.benchmarkOf = benchmarkOf;
        this.table = new int[Integer.highestOneBit(Math.max(4, hashes.length * 2)) << 1];
        for (int i = 0; i < hashes.length; i++) {
            int slot = slot(hashes[i]);
            while (table[slot] != 0) {
                slot = (slot + 1) & (table.length - 1);
            }
            table[slot] = i + 1;
        }
        this.benchmarks = benchmarks;
        this.shortLengths = shortLengths;
        this.stats = stats;
    }

    /** @param passages benchmark name → its passages (questions, answers, documents) */
    public static EvalIndex build(Map<String, List<String>> passages, int n, int minWords) {
        if (n < 1 || minWords < 1 || minWords > n) {
            throw new IllegalArgumentException("need 1 ≤ min_words ≤ n, got n " + n + ", min_words " + minWords);
        }
        Map<Long, Integer> grams = new LinkedHashMap<>();
        List<BenchmarkStats> stats = new ArrayList<>();
        java.util.TreeSet<Integer> shortLengths = new java.util.TreeSet<>();
        String[] names = passages.keySet().toArray(String[]::new);
        for (int b = 0; b < names.length; b++) {
            int count = 0;
            int skipped = 0;
            int before = grams.size();
            for (String p : passages.get(names[b])) {
                NgramText t = new NgramText(p);
                count++;
                if (t.size() >= n) {
                    for (int i = 0; i + n <= t.size(); i++) {
                        grams.putIfAbsent(hash(t, i, n), b);
                    }
                } else if (t.size() >= minWords) {
                    grams.putIfAbsent(hash(t, 0, t.size()), b);
                    shortLengths.add(t.size());
                } else {
                    skipped++;
                }
            }
            stats.add(new BenchmarkStats(names[b], count, grams.size() - before, skipped));
        }
        long[] hashes = new long[grams.size()];
        int[] owner = new int[grams.size()];
        Long[] keys = grams.keySet().toArray(Long[]::new);
        Arrays.sort(keys);
        for (int i = 0; i < keys.length; i++) {
            hashes[i] = keys[i];
            owner[i] = grams.get(keys[i]);
        }
        return new EvalIndex(
                n,
                minWords,
                hashes,
                owner,
                names,
                shortLengths.stream().mapToInt(Integer::intValue).toArray(),
                List.copyOf(stats));
    }

    private static final long P = 0x9E3779B97F4A7C15L;

    /** Hash of words [from, from + len): a polynomial over the words' own 64-bit hashes (rolled in {@link #scan}). */
    private static long hash(NgramText t, int from, int len) {
        long h = 0;
        for (int i = from; i < from + len; i++) {
            h = h * P + t.hash(i);
        }
        return h;
    }

    public int n() {
        return n;
    }

    public List<BenchmarkStats> stats() {
        return stats;
    }

    public int size() {
        return hashes.length;
    }

    /** The overlap of {@code text} with the evaluation sets, or null when it shares fewer than {@code minMatches}. */
    public Match find(String text, int minMatches) {
        NgramText t = new NgramText(text);
        int[] perBenchmark = new int[benchmarks.length];
        String[] example = new String[benchmarks.length];
        scan(t, (from, len, b) -> {
            perBenchmark[b]++;
            if (example[b] == null) {
                example[b] = t.ngram(from, len);
            }
        });
        int best = -1;
        for (int b = 0; b < benchmarks.length; b++) {
            if (perBenchmark[b] >= minMatches && (best < 0 || perBenchmark[b] > perBenchmark[best])) {
                best = b;
            }
        }
        return best < 0 ? null : new Match(benchmarks[best], perBenchmark[best], example[best]);
    }

    /** {@code text} with every word inside a matching n-gram replaced, runs of them by one {@code placeholder}. */
    public String mask(String text, String placeholder) {
        NgramText t = new NgramText(text);
        boolean[] hit = new boolean[t.size()];
        scan(t, (from, len, b) -> Arrays.fill(hit, from, from + len, true));
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (int i = 0; i < t.size(); i++) {
            if (!hit[i]) {
                continue;
            }
            int j = i;
            while (j + 1 < t.size() && hit[j + 1]) {
                j++;
            }
            out.append(text, at, t.span(i)[0]).append(placeholder);
            at = t.span(j)[1];
            i = j;
        }
        return out.append(text, at, text.length()).toString();
    }

    @FunctionalInterface
    private interface Hit {
        void at(int from, int len, int benchmark);
    }

    private void scan(NgramText t, Hit hit) {
        if (hashes.length == 0 || t.size() == 0) {
            return;
        }
        long[] words = new long[t.size()];
        for (int i = 0; i < words.length; i++) {
            words[i] = t.hash(i);
        }
        roll(words, n, hit);
        for (int len : shortLengths) {
            roll(words, len, hit);
        }
    }

    private int slot(long h) {
        return (int) (h ^ (h >>> 32)) & (table.length - 1);
    }

    private int lookup(long h) {
        for (int slot = slot(h); ; slot = (slot + 1) & (table.length - 1)) {
            int e = table[slot];
            if (e == 0) {
                return -1;
            }
            if (hashes[e - 1] == h) {
                return e - 1;
            }
        }
    }

    /** Every window of {@code len} words, its hash updated in O(1) per step. */
    private void roll(long[] words, int len, Hit hit) {
        if (words.length < len) {
            return;
        }
        long top = 1;
        for (int i = 1; i < len; i++) {
            top *= P;
        }
        long h = 0;
        for (int i = 0; i < len; i++) {
            h = h * P + words[i];
        }
        for (int from = 0; ; from++) {
            int k = lookup(h);
            if (k >= 0) {
                hit.at(from, len, benchmarkOf[k]);
            }
            if (from + len >= words.length) {
                return;
            }
            h = (h - words[from] * top) * P + words[from + len];
        }
    }
}
