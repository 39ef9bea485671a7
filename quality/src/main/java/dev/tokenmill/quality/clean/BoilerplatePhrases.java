package dev.tokenmill.quality.clean;

/**
 * The boilerplate phrases C4 looks for in a lower-cased line (TFDS {@code c4_utils}): "lorem ipsum", "javascript"
 * and the cookie / terms-of-use notices. Used by the {@code clean} line rules and the {@code c4} filter. (The
 * policy phrases start with t, p, c or u: the scan below dispatches on that letter.)
 */
public final class BoilerplatePhrases {
    public static final int LOREM_IPSUM = 1;
    public static final int JAVASCRIPT = 2;
    public static final int POLICY = 4;
    private static final String[] POLICY_PHRASES = {
        "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"
    };

    private BoilerplatePhrases() {}

    /**
     * Which phrases (bits) {@code a[from, to)} contains once lower-cased ({@code Locale.ROOT}), in one scan that folds
     * case as it goes. Only two non-ASCII characters lower-case to anything with an ASCII letter (checked over every
     * code point): the Kelvin sign, to 'k', and 'İ', to "i̇" — an 'i' followed by a combining dot, which no phrase
     * contains. So ASCII is folded by bit 5, the Kelvin sign reads as 'k', and every other character matches nothing.
     */
    public static int in(char[] a, int from, int to) {
        int found = 0;
        int key = 0; // the last three chars, case-folded and cut to 5 bits each
        for (int j = from; j < to; j++) {
            key = (key << 5 | (a[j] | 0x20) & 31) & 0x7FFF;
            // one bit test per char: a phrase can start two chars back only if its first three chars land here
            if ((START_TRIGRAMS[key >>> 6] & (1L << key)) == 0 || j - 2 < from) {
                continue;
            }
            int i = j - 2;
            switch (a[i] | 0x20) { // no phrase starts with a char that a non-ASCII char folds to
                case 'l' -> found |= at(a, i, to, "lorem ipsum") ? LOREM_IPSUM : 0;
                case 'j' -> found |= at(a, i, to, "javascript") ? JAVASCRIPT : 0;
                case 't' -> found |= at(a, i, to, "terms of use") ? POLICY : 0;
                case 'p' -> found |= at(a, i, to, "privacy policy") ? POLICY : 0;
                case 'c' -> found |= at(a, i, to, "cookie policy") ? POLICY : 0;
                case 'u' ->
                    found |= at(a, i, to, "uses cookies")
                                    || at(a, i, to, "use of cookies")
                                    || at(a, i, to, "use cookies")
                            ? POLICY
                            : 0;
                default -> {}
            }
        }
        return found;
    }

    /**
     * The first three chars of each phrase, case-folded and cut to 5 bits each: a 32768-bit set. Other chars can land
     * on the same bits (a false start, rejected by {@link #at}), but a phrase start in any case always does.
     */
    private static final long[] START_TRIGRAMS = new long[512];

    static {
        for (String p :
                new String[] {"lorem ipsum", "javascript", "terms of use", "privacy policy", "cookie policy", "use"}) {
            int key = 0;
            for (int k = 0; k < 3; k++) {
                key = (key << 5 | (p.charAt(k) | 0x20) & 31) & 0x7FFF;
            }
            START_TRIGRAMS[key >>> 6] |= 1L << key;
        }
    }

    /** Which phrases (bits) an already lower-cased text contains. */
    public static int in(String lower) {
        int found = (lower.contains("lorem ipsum") ? LOREM_IPSUM : 0) | (lower.contains("javascript") ? JAVASCRIPT : 0);
        for (String p : POLICY_PHRASES) {
            if (lower.contains(p)) {
                return found | POLICY;
            }
        }
        return found;
    }

    /** Whether the chars at {@code i}, lower-cased, start with {@code lowerPhrase} (ASCII). */
    private static boolean at(char[] a, int i, int to, String lowerPhrase) {
        int len = lowerPhrase.length();
        if (to - i < len) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            char c = a[i + k];
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c == '\u212A' ? 'k' : c;
            if (lower != lowerPhrase.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
