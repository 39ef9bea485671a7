package dev.tokenmill.quality.filter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * C4's bad-word test, {@code re.search(r"(?:\W|^)(w1|w2|…)(?:\W|$)", page.lower())} in TFDS, without a regex: an
 * alternation of hundreds of entries makes Java's regex engine try every entry at every position. Here an entry is
 * tried only where it could start (after a non-word character or at the start: the scan jumps from word to
 * word) and only if its first two characters match (one list per ASCII pair, behind an L1-sized pre-test on the
 * first three; entries of one character or with a non-ASCII character among the first two in per-first-character
 * lists). Word characters are Unicode letters, digits and '_', as Python 3's {@code \w} on str.
 */
final class BadWords {
    private final String[][] asciiPairs = new String[128 * 128][];
    private final String[][] asciiFirst = new String[128][];
    private final Map<Character, String[]> other = new HashMap<>();
    /**
     * A pre-test for the pair lists, small enough to stay in L1: per ASCII pair, whether it has entries
     * ({@link #pairHasEntries}) and whether one is only the pair or has a non-ASCII third char ({@link #pairAlways});
     * per (pair, ASCII third char), a hashed bit set when some entry starts so ({@link #trigrams}, false
     * positives only). Most word starts fail it.
     */
    private final long[] pairHasEntries = new long[128 * 128 / 64];

    private final long[] pairAlways = new long[128 * 128 / 64];
    private final long[] trigrams = new long[TRIGRAM_BITS / 64];
    private static final int TRIGRAM_BITS = 1 << 16;

    /** @param entries lower-case words or phrases */
    BadWords(Set<String> entries) {
        Map<Integer, List<String>> pairs = new HashMap<>();
        Map<Character, List<String>> byFirst = new HashMap<>();
        for (String e : entries) {
            if (e.isEmpty()) {
                continue;
            }
            char c0 = e.charAt(0);
            if (c0 < 128 && e.length() > 1 && e.charAt(1) < 128) {
                int pair = c0 * 128 + e.charAt(1);
                pairs.computeIfAbsent(pair, k -> new ArrayList<>()).add(e);
                set(pairHasEntries, pair);
                if (e.length() == 2 || e.charAt(2) >= 128) {
                    set(pairAlways, pair);
                } else {
                    set(trigrams, trigram(pair, e.charAt(2)));
                }
            } else {
                byFirst.computeIfAbsent(c0, k -> new ArrayList<>()).add(e);
            }
        }
        pairs.forEach((key, list) -> asciiPairs[key] = sorted(list));
        byFirst.forEach((c, list) -> {
            if (c < 128) {
                asciiFirst[c] = sorted(list);
            } else {
                other.put(c, sorted(list));
            }
        });
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    private static boolean get(long[] bits, int i) {
        return (bits[i >>> 6] & 1L << i) != 0;
    }

    private static int trigram(int pair, char c2) {
        return ((pair * 128 + c2) * 0x9E3779B1) >>> (32 - 16);
    }

    /** Whether an entry of the pair list of {@code a[p, p+2)} (ASCII) can start at {@code p}. */
    private boolean pairMayMatch(char[] a, int n, int p, int pair) {
        if (!get(pairHasEntries, pair)) {
            return false;
        }
        return get(pairAlways, pair) || p + 2 < n && a[p + 2] < 128 && get(trigrams, trigram(pair, a[p + 2]));
    }

    private static String[] sorted(List<String> list) {
        return list.stream().sorted(Comparator.naturalOrder()).toArray(String[]::new);
    }

    /** Per ASCII char: is it a word character (letter, digit, '_')? */
    private static final boolean[] ASCII_WORD = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_WORD[c] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '_';
        }
    }

    /** The first entry found in {@code lower} (already lower-cased) as a whole word or phrase, or null. */
    String find(String lower) {
        int n = lower.length();
        char[] a = dev.tokenmill.quality.TextScratch.copy(lower); // C4 asks last, done with its own chars
        int p = 0;
        while (p < n) {
            // p starts a candidate: at the start or after a non-word char
            char c = a[p];
            String found;
            if (c < 128) {
                found = null;
                if (p + 1 < n && a[p + 1] < 128) {
                    int pair = c * 128 + a[p + 1];
                    if (pairMayMatch(a, n, p, pair)) {
                        found = match(a, n, p, asciiPairs[pair]);
                    }
                }
                if (found == null) {
                    found = match(a, n, p, asciiFirst[c]);
                }
            } else {
                found = match(a, n, p, other.get(c));
            }
            if (found != null) {
                return found;
            }
            // the next candidate follows the next non-word char
            p++;
            if (isWordChar(c)) {
                while (p < n && isWordChar(a[p])) {
                    p++;
                }
                p++; // the non-word char itself is not preceded by a non-word char
            }
        }
        return null;
    }

    /** The first of {@code candidates} at {@code p} that ends at a non-word character or the end, or null. */
    private static String match(char[] a, int n, int p, String[] candidates) {
        if (candidates == null) {
            return null;
        }
        for (String e : candidates) {
            int len = e.length();
            int end = p + len;
            if (end <= n && startsWith(a, p, e, len) && (end == n || !isWordChar(a[end]))) {
                return e;
            }
        }
        return null;
    }

    private static boolean startsWith(char[] a, int p, String e, int len) {
        for (int k = 0; k < len; k++) {
            if (a[p + k] != e.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static boolean isWordChar(char c) {
        return c < 128 ? ASCII_WORD[c] : Character.isLetterOrDigit(c);
    }
}
