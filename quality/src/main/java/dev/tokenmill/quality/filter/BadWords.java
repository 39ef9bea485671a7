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
 * tried only where it could start (after a non-word character or at the start) and only if its first two
 * characters match (one list per ASCII pair; entries of one character or with a non-ASCII character among the
 * first two in per-first-character lists). Word characters are Unicode letters, digits and '_', as Python 3's {@code \w} on str.
 */
final class BadWords {
    private final String[][] asciiPairs = new String[128 * 128][];
    private final String[][] asciiFirst = new String[128][];
    private final Map<Character, String[]> other = new HashMap<>();

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
                pairs.computeIfAbsent(c0 * 128 + e.charAt(1), k -> new ArrayList<>()).add(e);
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

    private static String[] sorted(List<String> list) {
        return list.stream().sorted(Comparator.naturalOrder()).toArray(String[]::new);
    }

    /** The first entry found in {@code lower} (already lower-cased) as a whole word or phrase, or null. */
    String find(String lower) {
        int n = lower.length();
        boolean prevWord = false;
        for (int p = 0; p < n; p++) {
            char c = lower.charAt(p);
            if (!prevWord) {
                String found;
                if (c < 128) {
                    found = p + 1 < n && lower.charAt(p + 1) < 128 ? match(lower, p, asciiPairs[c * 128 + lower.charAt(p + 1)]) : null;
                    if (found == null) {
                        found = match(lower, p, asciiFirst[c]);
                    }
                } else {
                    found = match(lower, p, other.get(c));
                }
                if (found != null) {
                    return found;
                }
            }
            prevWord = isWordChar(c);
        }
        return null;
    }

    /** The first of {@code candidates} at {@code p} that ends at a non-word character or the end, or null. */
    private static String match(String lower, int p, String[] candidates) {
        if (candidates == null) {
            return null;
        }
        int n = lower.length();
        for (String e : candidates) {
            int end = p + e.length();
            if (end <= n && lower.startsWith(e, p) && (end == n || !isWordChar(lower.charAt(end)))) {
                return e;
            }
        }
        return null;
    }

    static boolean isWordChar(char c) {
        if (c < 128) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '_';
        }
        return Character.isLetterOrDigit(c);
    }
}
