package dev.tokenmill.mixing.decontam;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text as the n-gram overlap check sees it: words are maximal runs of letters and digits (combining marks stay
 * in their word), NFKC-normalised and lower-cased; punctuation, whitespace and case never matter. Each word keeps
 * its character span in the original text so a match can be masked in place.
 */
public final class NgramText {
    private final List<String> words = new ArrayList<>();
    private final List<int[]> spans = new ArrayList<>();

    public NgramText(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!isWordChar(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < n && isWordChar(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            String w = text.substring(start, i);
            boolean ascii = w.chars().allMatch(c -> c < 0x80);
            words.add(ascii ? w.toLowerCase(Locale.ROOT) : Normalizer.normalize(w, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT));
            spans.add(new int[] {start, i});
        }
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
            || Character.getType(cp) == Character.COMBINING_SPACING_MARK;
    }

    public int size() {
        return words.size();
    }

    public String word(int i) {
        return words.get(i);
    }

    /** Start (inclusive) and end (exclusive) of word {@code i} in the original text. */
    public int[] span(int i) {
        return spans.get(i);
    }

    /** The n words from {@code from}, joined by single spaces (the form n-grams are hashed and shown in). */
    public String ngram(int from, int n) {
        return String.join(" ", words.subList(from, from + n));
    }
}
