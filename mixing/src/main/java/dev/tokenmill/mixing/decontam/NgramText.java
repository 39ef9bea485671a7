package dev.tokenmill.mixing.decontam;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;

/**
 * Text as the n-gram overlap check sees it: words are maximal runs of letters and digits (combining marks stay
 * in their word), NFKC-normalised and lower-cased; punctuation, whitespace and case never matter. Each word keeps
 * its character span in the original text (so a match can be masked in place) and a 64-bit hash of its
 * normalised form, computed from the chars without building strings for ASCII words (the common case).
 */
public final class NgramText {
    private final String text;
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private long[] hashes = new long[64];
    private int size;

    public NgramText(String text) {
        this.text = text;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                if (!isAsciiWordChar(ch)) {
                    i++;
                    continue;
                }
            } else if (!isWordChar(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
                continue;
            }
            int start = i;
            boolean ascii = true;
            long h = 0xcbf29ce484222325L;
            while (i < n) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    if (!isAsciiWordChar(c)) {
                        break;
                    }
                    h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 0x100000001b3L;
                    i++;
                } else {
                    int cp = text.codePointAt(i);
                    if (!isWordChar(cp)) {
                        break;
                    }
                    ascii = false;
                    i += Character.charCount(cp);
                }
            }
            add(start, i, ascii ? mix(h) : hash(normalized(start, i)));
        }
    }

    private void add(int start, int end, long hash) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        starts[size] = start;
        ends[size] = end;
        hashes[size] = hash;
        size++;
    }

    private String normalized(int start, int end) {
        return Normalizer.normalize(text.substring(start, end), Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT);
    }

    /** FNV-1a over the chars, finished with a 64-bit mixer (the same for ASCII and normalised words). */
    private static long hash(String w) {
        long h = 0xcbf29ce484222325L;
        for (int k = 0; k < w.length(); k++) {
            h = (h ^ w.charAt(k)) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    private static boolean isAsciiWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp)
                || Character.getType(cp) == Character.NON_SPACING_MARK
                || Character.getType(cp) == Character.COMBINING_SPACING_MARK;
    }

    public int size() {
        return size;
    }

    /** Word {@code i} as compared: NFKC, lower case. */
    public String word(int i) {
        return normalized(starts[i], ends[i]);
    }

    /** The 64-bit hash of word {@code i}'s normalised form. */
    public long hash(int i) {
        return hashes[i];
    }

    /** Start (inclusive) and end (exclusive) of word {@code i} in the original text. */
    public int[] span(int i) {
        return new int[] {starts[i], ends[i]};
    }

    /** The n words from {@code from}, joined by single spaces (how a matching n-gram is shown). */
    public String ngram(int from, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            sb.append(i == from ? "" : " ").append(word(i));
        }
        return sb.toString();
    }
}
