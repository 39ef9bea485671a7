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
    private static final String[] POLICY_PHRASES = {"terms of use", "privacy policy", "cookie policy", "uses cookies",
        "use of cookies", "use cookies"};

    private BoilerplatePhrases() {
    }

    /**
     * Which phrases (bits) {@code a[from, to)} contains once lower-cased ({@code Locale.ROOT}), in one scan that folds
     * case as it goes. Only two non-ASCII characters lower-case to anything with an ASCII letter (checked over every
     * code point): the Kelvin sign, to 'k', and 'İ', to "i̇" — an 'i' followed by a combining dot, which no phrase
     * contains. So ASCII is folded by bit 5, the Kelvin sign reads as 'k', and every other character matches nothing.
     */
    public static int in(char[] a, int from, int to) {
        int found = 0;
        for (int i = from; i + 1 < to; i++) {
            char c = a[i];
            // most chars are dropped by one bit test on the case-folded pair they start (no phrase starts with a
            // char a non-ASCII char folds to)
            if (c >= 128 || (START_PAIRS[pairKey(c, a[i + 1]) >>> 6] & (1L << pairKey(c, a[i + 1]))) == 0) {
                continue;
            }
            switch (c | 0x20) {
                case 'l' -> found |= at(a, i, to, "lorem ipsum") ? LOREM_IPSUM : 0;
                case 'j' -> found |= at(a, i, to, "javascript") ? JAVASCRIPT : 0;
                case 't' -> found |= at(a, i, to, "terms of use") ? POLICY : 0;
                case 'p' -> found |= at(a, i, to, "privacy policy") ? POLICY : 0;
                case 'c' -> found |= at(a, i, to, "cookie policy") ? POLICY : 0;
                case 'u' -> found |= at(a, i, to, "use") && (at(a, i, to, "uses cookies") || at(a, i, to, "use of cookies")
                    || at(a, i, to, "use cookies")) ? POLICY : 0;
                default -> {
                }
            }
        }
        return found;
    }

    /**
     * The two first chars of a phrase, case-folded and cut to 5 bits each: a 1024-bit set. Other chars can land on
     * the same bits (a false start, checked by {@link #at}), but a phrase start in any case always does.
     */
    private static final long[] START_PAIRS = new long[16];

    static {
        for (String p : new String[] {"lorem ipsum", "javascript", "terms of use", "privacy policy", "cookie policy", "use"}) {
            int key = pairKey(p.charAt(0), p.charAt(1));
            START_PAIRS[key >>> 6] |= 1L << key;
        }
    }

    private static int pairKey(char c0, char c1) {
        return ((c0 | 0x20) & 31) << 5 | ((c1 | 0x20) & 31);
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
