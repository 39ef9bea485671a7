package dev.tokenmill.quality;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** C4 bad-word lists: lower-cased, stripped, sorted and distinct, from a recipe list or a file's lines. */
final class BadWords {
    private BadWords() {}

    static Set<String> canonicalSet(List<String> words) {
        Set<String> set = new TreeSet<>();
        for (String w : words) {
            String s = w.strip().toLowerCase(Locale.ROOT);
            if (!s.isEmpty()) {
                set.add(s);
            }
        }
        return set;
    }

    static Object canonical(List<String> words) {
        return List.copyOf(canonicalSet(words));
    }

    /** A list file: one word or phrase per line; blank lines and lines starting with # are skipped. */
    static Set<String> parseFile(String content) {
        Set<String> set = new TreeSet<>();
        for (String line : content.split("\r?\n|\r")) {
            String w = line.strip().toLowerCase(Locale.ROOT);
            if (!w.isEmpty() && !w.startsWith("#")) {
                set.add(w);
            }
        }
        return set;
    }
}
