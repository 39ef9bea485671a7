package dev.tokenmill.tokenizer.unigram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Unigram trainer's starting vocabulary: frequent substrings of the words, found as the internal nodes of a
 * suffix tree (LCP intervals of a suffix array over the distinct words, each word closed by a separator of its
 * own so no substring crosses words). A node's frequency is the sum of the counts of the words its suffixes lie
 * in, i.e. its frequency in the corpus; its score is frequency × length, as in SentencePiece. Suffixes are
 * sorted on their first {@code maxPieceLength} code points only (prefix doubling with radix sorts), which is all
 * a piece can use.
 */
public final class SeedPieces {
    public record Seed(String piece, long score) {}

    private SeedPieces() {}

    /**
     * @param words distinct words (code points), {@code counts} their corpus counts
     * @param allowed whether a substring may be a piece (length ≥ 2, validity rules): called with the text array,
     *                start and length through {@link Validity}
     */
    public static List<Seed> find(List<int[]> words, long[] counts, int maxPieceLength, int limit, Validity allowed) {
        int n = 0;
        for (int[] w : words) {
            n += w.length + 1;
        }
        int[] text = new int[n];
        int[] wordOf = new int[n];
        int at = 0;
        for (int k = 0; k < words.size(); k++) {
            int[] w = words.get(k);
            System.arraycopy(w, 0, text, at, w.length);
            Arrays.fill(wordOf, at, at + w.length + 1, k);
            at += w.length;
            text[at++] = -1 - k; // a separator equal to no other symbol
        }
        int[] sa = suffixArray(text, maxPieceLength);
        long[] weightPrefix = new long[n + 1];
        for (int i = 0; i < n; i++) {
            weightPrefix[i + 1] = weightPrefix[i] + counts[wordOf[sa[i]]];
        }
        // candidates as (start, length, score); the best `limit` are turned into strings
        LongTriples found = new LongTriples();
        int[] stackLcp = new int[maxPieceLength + 2];
        int[] stackLb = new int[maxPieceLength + 2];
        int top = 0;
        stackLcp[0] = 0;
        stackLb[0] = 0;
        for (int i = 1; i <= n; i++) {
            int lcp = i == n ? 0 : lcp(text, sa[i - 1], sa[i], maxPieceLength);
            int lb = i - 1;
            while (lcp < stackLcp[top]) {
                int depth = stackLcp[top];
                lb = stackLb[top];
                top--;
                long freq = weightPrefix[i] - weightPrefix[lb];
                if (depth >= 2 && allowed.test(text, sa[lb], depth)) {
                    found.add(sa[lb], depth, freq * depth);
                }
            }
            if (lcp > stackLcp[top]) {
                top++;
                stackLcp[top] = lcp;
                stackLb[top] = lb;
            }
        }
        // a word seen more than once is a repeat in the corpus even where it is no node among distinct words
        at = 0;
        for (int k = 0; k < words.size(); k++) {
            int len = words.get(k).length;
            if (counts[k] > 1 && len >= 2 && len <= maxPieceLength && allowed.test(text, at, len)) {
                found.add(at, len, counts[k] * len);
            }
            at += len + 1;
        }
        // a little over the limit: the same string can come twice (a word and a node)
        int[] order = found.best(limit + limit / 50 + 16);
        List<Seed> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int o : order) {
            if (out.size() >= limit) {
                break;
            }
            String piece = new String(text, found.start(o), found.length(o));
            if (seen.add(piece)) {
                out.add(new Seed(piece, found.score(o)));
            }
        }
        return out;
    }

    /** Whether text[start, start + length) may become a piece. */
    @FunctionalInterface
    public interface Validity {
        boolean test(int[] text, int start, int length);
    }

    static int lcp(int[] text, int a, int b, int cap) {
        int n = text.length;
        int l = 0;
        while (l < cap && a + l < n && b + l < n && text[a + l] == text[b + l]) {
            l++;
        }
        return l;
    }

    /** Suffixes sorted by their first {@code depth} symbols (ties in any order), by prefix doubling. */
    static int[] suffixArray(int[] text, int depth) {
        int n = text.length;
        int[] sorted = text.clone();
        Arrays.sort(sorted);
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[i] = Arrays.binarySearch(sorted, text[i]); // dense enough: ranks < n
        }
        int[] sa = new int[n];
        int[] tmp = new int[n];
        int[] cnt = new int[n + 2];
        for (int i = 0; i < n; i++) {
            sa[i] = i;
        }
        radixByRank(sa, tmp, rank, 0, cnt, n);
        int[] next = new int[n];
        for (int k = 1; ; k <<= 1) {
            if (k >= depth) {
                break;
            }
            // sort by (rank[i], rank[i + k]) : second key first, then a stable pass on the first
            radixByRank(sa, tmp, rank, k, cnt, n);
            radixByRank(sa, tmp, rank, 0, cnt, n);
            next[sa[0]] = 0;
            int classes = 1;
            for (int j = 1; j < n; j++) {
                int a = sa[j - 1];
                int b = sa[j];
                boolean same = rank[a] == rank[b] && second(rank, a, k, n) == second(rank, b, k, n);
                next[b] = same ? next[a] : classes++;
            }
            System.arraycopy(next, 0, rank, 0, n);
            if (classes == n) {
                break;
            }
        }
        return sa;
    }

    private static int second(int[] rank, int i, int k, int n) {
        return i + k < n ? rank[i + k] + 1 : 0;
    }

    /** Stable counting sort of sa by rank[i + shift] (+1; 0 past the end). */
    private static void radixByRank(int[] sa, int[] tmp, int[] rank, int shift, int[] cnt, int n) {
        Arrays.fill(cnt, 0);
        for (int i = 0; i < n; i++) {
            cnt[second(rank, sa[i], shift, n)]++;
        }
        int sum = 0;
        for (int c = 0; c < cnt.length; c++) {
            int v = cnt[c];
            cnt[c] = sum;
            sum += v;
        }
        for (int i = 0; i < n; i++) {
            tmp[cnt[second(rank, sa[i], shift, n)]++] = sa[i];
        }
        System.arraycopy(tmp, 0, sa, 0, n);
    }

    /** Parallel long arrays of (start, length, score). */
    private static final class LongTriples {
        private int[] start = new int[1024];
        private int[] length = new int[1024];
        private long[] score = new long[1024];
        private int n;

        void add(int s, int l, long sc) {
            if (n == start.length) {
                start = Arrays.copyOf(start, n * 2);
                length = Arrays.copyOf(length, n * 2);
                score = Arrays.copyOf(score, n * 2);
            }
            start[n] = s;
            length[n] = l;
            score[n] = sc;
            n++;
        }

        int start(int i) {
            return start[i];
        }

        int length(int i) {
            return length[i];
        }

        long score(int i) {
            return score[i];
        }

        /** Indices of the best {@code limit} scores, best first; equal scores in index order (deterministic). */
        int[] best(int limit) {
            long threshold = Long.MIN_VALUE;
            if (n > limit) {
                long[] sorted = Arrays.copyOf(score, n);
                Arrays.sort(sorted);
                threshold = sorted[n - limit];
            }
            List<Integer> picked = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (score[i] >= threshold) {
                    picked.add(i);
                }
            }
            picked.sort((a, b) -> score[a] != score[b] ? Long.compare(score[b], score[a]) : Integer.compare(a, b));
            return picked.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
