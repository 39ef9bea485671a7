package dev.tokenmill.jobs.util;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a near-duplicate differs from the document it duplicates, for a one-line display: a word diff (longest common
 * subsequence) whose edited spans are shown as {@code [-removed-]{+added+}} (git's word-diff notation) with a few
 * shared words of context, unchanged stretches between them cut to "…".
 */
public final class WordDiff {
    /** Longer documents are compared by their common prefix and suffix only (one span), to bound the table. */
    static final int MAX_WORDS = 3000;

    static final int MAX_HUNKS = 3;

    private WordDiff() {}

    private record Hunk(int aFrom, int aTo, int bFrom, int bTo) {}

    public static String of(String kept, String duplicate, int context) {
        String[] a = kept.strip().split("\\s+");
        String[] b = duplicate.strip().split("\\s+");
        List<Hunk> hunks = a.length <= MAX_WORDS && b.length <= MAX_WORDS ? lcsHunks(a, b) : affixHunk(a, b);
        if (hunks.isEmpty()) {
            return "(the same words; only spacing differs)";
        }
        StringBuilder out = new StringBuilder();
        int shown = Math.min(MAX_HUNKS, hunks.size());
        int printedTo = 0; // in a
        for (int h = 0; h < shown; h++) {
            Hunk k = hunks.get(h);
            int from = Math.max(printedTo, k.aFrom() - context);
            if (from > printedTo || (h == 0 && from > 0)) {
                out.append(out.length() == 0 ? "… " : " … ");
            }
            words(out, a, from, k.aFrom());
            if (k.aTo() > k.aFrom()) {
                space(out)
                        .append("[-")
                        .append(String.join(" ", Arrays.copyOfRange(a, k.aFrom(), k.aTo())))
                        .append("-]");
            }
            if (k.bTo() > k.bFrom()) {
                (k.aTo() > k.aFrom() ? out : space(out))
                        .append("{+")
                        .append(String.join(" ", Arrays.copyOfRange(b, k.bFrom(), k.bTo())))
                        .append("+}");
            }
            int next = h + 1 < shown ? hunks.get(h + 1).aFrom() : a.length;
            int to = Math.min(next, k.aTo() + context);
            words(out, a, k.aTo(), to);
            printedTo = to;
        }
        if (hunks.size() > shown) {
            int more = hunks.size() - shown;
            out.append(" … (").append(more).append(more == 1 ? " more edit)" : " more edits)");
        } else if (printedTo < a.length) {
            out.append(" …");
        }
        return out.toString();
    }

    /**
     * The two documents side by side as HTML: the kept one with its removed words in {@code <del>}, the duplicate
     * with its added words in {@code <ins>}, each around its edited spans (up to {@link #MAX_HUNKS}) with
     * {@code context} shared words, unchanged stretches cut to "…".
     */
    public static String[] sides(String kept, String duplicate, int context) {
        String[] a = kept.strip().split("\\s+");
        String[] b = duplicate.strip().split("\\s+");
        List<Hunk> hunks = a.length <= MAX_WORDS && b.length <= MAX_WORDS ? lcsHunks(a, b) : affixHunk(a, b);
        hunks = hunks.subList(0, Math.min(MAX_HUNKS, hunks.size()));
        List<int[]> left = new ArrayList<>();
        List<int[]> right = new ArrayList<>();
        for (Hunk h : hunks) {
            left.add(new int[] {h.aFrom(), h.aTo()});
            right.add(new int[] {h.bFrom(), h.bTo()});
        }
        return new String[] {side(a, left, context, "del"), side(b, right, context, "ins")};
    }

    private static String side(String[] words, List<int[]> spans, int context, String tag) {
        StringBuilder out = new StringBuilder();
        int printedTo = 0;
        for (int s = 0; s < spans.size(); s++) {
            int[] span = spans.get(s);
            int from = Math.max(printedTo, span[0] - context);
            if (from > printedTo || (s == 0 && from > 0)) {
                out.append(out.length() == 0 ? "… " : " … ");
            }
            escWords(out, words, from, span[0]);
            if (span[1] > span[0]) {
                space(out).append('<').append(tag).append('>');
                out.append(esc(String.join(" ", Arrays.copyOfRange(words, span[0], span[1]))));
                out.append("</").append(tag).append('>');
            }
            int next = s + 1 < spans.size() ? spans.get(s + 1)[0] : words.length;
            int to = Math.min(next, span[1] + context);
            escWords(out, words, span[1], to);
            printedTo = to;
        }
        if (spans.isEmpty()) {
            escWords(out, words, 0, Math.min(words.length, 2 * context));
            printedTo = Math.min(words.length, 2 * context);
        }
        if (printedTo < words.length) {
            out.append(" …");
        }
        return out.toString();
    }

    private static void escWords(StringBuilder out, String[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            space(out).append(esc(a[i]));
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void words(StringBuilder out, String[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            space(out).append(a[i]);
        }
    }

    private static StringBuilder space(StringBuilder out) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
        }
        return out;
    }

    /** The edited spans of the longest-common-subsequence alignment of two word arrays. */
    static List<Hunk> lcsHunks(String[] a, String[] b) {
        int n = a.length;
        int m = b.length;
        int[][] lcs = new int[n + 1][m + 1]; // lcs[i][j]: of a[i..] and b[j..]
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Hunk> hunks = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[i].equals(b[j])) {
                i++;
                j++;
                continue;
            }
            int ai = i;
            int bj = j;
            while ((i < n || j < m) && !(i < n && j < m && a[i].equals(b[j]))) {
                if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                    i++;
                } else {
                    j++;
                }
            }
            hunks.add(new Hunk(ai, i, bj, j));
        }
        return hunks;
    }

    private static List<Hunk> affixHunk(String[] a, String[] b) {
        int prefix = 0;
        while (prefix < a.length && prefix < b.length && a[prefix].equals(b[prefix])) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.length - prefix
                && suffix < b.length - prefix
                && a[a.length - 1 - suffix].equals(b[b.length - 1 - suffix])) {
            suffix++;
        }
        if (prefix == a.length && prefix == b.length) {
            return List.of();
        }
        return List.of(new Hunk(prefix, a.length - suffix, prefix, b.length - suffix));
    }
}
