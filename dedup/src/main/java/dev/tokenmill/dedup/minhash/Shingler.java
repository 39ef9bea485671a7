package dev.tokenmill.dedup.minhash;

import java.util.Arrays;
import java.util.Locale;
import net.openhft.hashing.LongHashFunction;

/**
 * Turns a document into the 64-bit hashes of its shingles: word n-grams (default) or character n-grams of the
 * normalised text (lower case, letters and digits only, single spaces). Each shingle is hashed in place over the
 * normalised text with xxHash3, so no shingle string is ever built. Not thread-safe: one per task thread.
 */
public final class Shingler {
    public enum Unit {
        WORD,
        CHAR
    }

    private final Unit unit;
    private final int n;
    private final LongHashFunction hash;
    private int[] wordStart = new int[256];
    private int[] wordEnd = new int[256];
    private long[] hashes = new long[256];
    private int count;

    public Shingler(Unit unit, int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("shingle size must be at least 1, got " + n);
        }
        this.unit = unit;
        this.n = n;
        this.hash = LongHashFunction.xx3(seed);
    }

    /** Lower case; every run of characters that are not letters or digits becomes one space. */
    public static String normalise(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(lower.length());
        boolean space = false;
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                if (space && sb.length() > 0) {
                    sb.append(' ');
                }
                space = false;
                sb.appendCodePoint(cp);
            } else {
                space = true;
            }
        }
        return sb.toString();
    }

    /**
     * Hashes the shingles of {@code text}; read them with {@link #hashes()} and {@link #count()} (valid until the
     * next call). A document shorter than one shingle is one shingle of all its text; an empty one has none.
     * Repeated shingles are hashed again: MinHash takes minima, so duplicates change nothing.
     */
    public Shingler shingle(String text) {
        String t = normalise(text);
        count = 0;
        if (t.isEmpty()) {
            return this;
        }
        if (unit == Unit.CHAR) {
            int shingles = Math.max(1, t.length() - n + 1);
            ensure(shingles);
            for (int i = 0; i < shingles; i++) {
                hashes[count++] = hash.hashChars(t, i, Math.min(n, t.length() - i));
            }
            return this;
        }
        int words = 0;
        for (int i = 0; i < t.length(); ) {
            int end = t.indexOf(' ', i);
            end = end < 0 ? t.length() : end;
            if (words == wordStart.length) {
                wordStart = Arrays.copyOf(wordStart, words * 2);
                wordEnd = Arrays.copyOf(wordEnd, words * 2);
            }
            wordStart[words] = i;
            wordEnd[words] = end;
            words++;
            i = end + 1;
        }
        int shingles = Math.max(1, words - n + 1);
        ensure(shingles);
        for (int w = 0; w < shingles; w++) {
            int from = wordStart[w];
            int to = wordEnd[Math.min(words, w + n) - 1];
            hashes[count++] = hash.hashChars(t, from, to - from);
        }
        return this;
    }

    private void ensure(int size) {
        if (hashes.length < size) {
            hashes = new long[Math.max(size, hashes.length * 2)];
        }
    }

    public long[] hashes() {
        return hashes;
    }

    public int count() {
        return count;
    }
}
