package dev.tokenmill.quality.lm;

import dev.tokenmill.quality.filter.Words;
import java.util.Locale;

/**
 * The language model's view of text, as CCNet normalises before scoring: lower case, digits folded to 0, one
 * sentence per line, word and punctuation tokens as 64-bit hashes with sentence-start and -end markers.
 */
final class LmTokens {
    static final long BOS = 0x2545F4914F6CDD1DL;
    static final long EOS = 0x9E3779B97F4A7C15L;

    private LmTokens() {}

    static String normalise(String line) {
        StringBuilder sb = new StringBuilder(line.length());
        String lower = line.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            sb.append(c >= '0' && c <= '9' ? '0' : c);
        }
        return sb.toString();
    }

    /**
     * The sentence's tokens, {@code <s>} first and {@code </s>} last, written into {@code out} (grown if needed);
     * returns the array used. The count is {@code words.count() + 2}, read from {@link #count}.
     */
    static long[] sentence(String line, Words words, long[] out) {
        words.split(normalise(line));
        int n = words.count() + 2;
        long[] t = out.length >= n ? out : new long[Math.max(n, out.length * 2)];
        t[0] = BOS;
        for (int i = 0; i < words.count(); i++) {
            t[i + 1] = words.hash(i);
        }
        t[n - 1] = EOS;
        return t;
    }

    /** Hash of tokens {@code t[from..to)} (order-specific seed, so different orders never share a key). */
    static long ngram(long[] t, int from, int to) {
        long h = 0xC2B2AE3D27D4EB4FL * (to - from);
        for (int i = from; i < to; i++) {
            h = mix(h ^ t[i]) + 0x165667B19E3779F9L;
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
