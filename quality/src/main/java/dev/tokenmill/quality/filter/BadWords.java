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
 * tried only where it could start (after a non-word character or at the start) and only if its first character
 * matches. Word characters are Unicode letters, digits and '_', as Python 3's {@code \w} on str.
 */
final class BadWords {
    private final String[][] ascii = new String[128][];
    private final Map<Character, String[]> other = new HashMap<>();

    /** @param entries lower-case words or phrases */
    BadWords(Set<String> entries) {
        Map<Character, List<String>> byFirst = new HashMap<>();
        for (String e : entries) {
            if (!e.isEmpty()) {
                byFirst.computeIfAbsent(e.charAt(0), k -> new ArrayList<>()).add(e);
            }
        }
        byFirst.forEach((c, list) -> {
            String[] sorted = list.stream().sorted(Comparator.naturalOrder()).toArray(String[]::new);
            if (c < 128) {
                ascii[c] = sorted;
            } else {
                other.put(c, sorted);
            }
        });
    }

    /** The first entry found in {@code lower} (already lower-cased) as a whole word or phrase, or null. */
    String find(String lower) {
        int n = lower.length();
        boolean prevWord = false;
        for (int p = 0; p < n; p++) {
            char c = lower.charAt(p);
            if (!prevWord) {
                String[] candidates = c < 128 ? ascii[c] : other.get(c);
                if (candidates != null) {
                    for (String e : candidates) {
                        int end = p + e.length();
                        if (end <= n && lower.startsWith(e, p) && (end == n || !isWordChar(lower.charAt(end)))) {
                            return e;
                        }
                    }
                }
            }
            prevWord = isWordChar(c);
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
