package dev.tokenmill.quality.filter;

/**
 * Splits text into word and punctuation tokens roughly as NLTK's word_tokenize does for the rules DataTrove
 * applies: a word is a run of letters/digits (apostrophes and hyphens between letters, '.' and ',' between digits
 * stay inside it); a run of other non-space characters ("...", "#", "--") is one symbol token.
 *
 * <p>Tokens are kept as offsets into the text plus a 64-bit hash, so n-gram rules never build strings.
 * One instance is reused across documents by one thread.
 */
public final class Words {
    private static final ThreadLocal<Words> SHARED = ThreadLocal.withInitial(Words::new);

    private String text = "";
    private int count;
    private int[] start = new int[256];
    private int[] end = new int[256];
    private long[] hash = new long[256];
    private boolean[] symbol = new boolean[256];

    /**
     * The tokens of {@code s} from this thread's shared instance: filters that run one after another on the same
     * text (same object) tokenize it once. The result is valid until the next call on this thread.
     */
    public static Words of(String s) {
        Words w = SHARED.get();
        return w.text == s && w.text != null ? w : w.split(s);
    }

    /** Tokenizes {@code s}, replacing the previous content. */
    public Words split(String s) {
        this.text = s;
        count = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                i++;
                continue;
            }
            int from = i;
            boolean word = isWordChar(s, i);
            if (word) {
                i += step(s, i);
                while (i < n && (isWordChar(s, i) || isJoiner(s, i))) {
                    i += step(s, i);
                }
            } else {
                i++;
                while (i < n && !isSpace(s.charAt(i)) && !isWordChar(s, i)) {
                    i++;
                }
            }
            add(from, i, !word);
        }
        return this;
    }

    /** Character.isWhitespace, without its table lookup for ASCII. */
    static boolean isSpace(char c) {
        if (c < 128) {
            return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
        }
        return Character.isWhitespace(c);
    }

    /** Chars of the code point at {@code i}: 2 only for a surrogate pair. */
    private static int step(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? Character.charCount(s.codePointAt(i)) : 1;
    }

    private static boolean isWordChar(String s, int i) {
        char c = s.charAt(i);
        if (c < 128) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
        int cp = s.codePointAt(i);
        return Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
            || Character.getType(cp) == Character.COMBINING_SPACING_MARK || cp == '_';
    }

    /** An apostrophe or hyphen between letters, or '.'/',' between digits, continues the word. */
    private static boolean isJoiner(String s, int i) {
        char c = s.charAt(i);
        if (i == 0 || i + 1 >= s.length()) {
            return false;
        }
        char prev = s.charAt(i - 1);
        char next = s.charAt(i + 1);
        if (c == '\'' || c == '’' || c == '-') {
            return Character.isLetter(prev) && Character.isLetter(next);
        }
        if (c == '.' || c == ',') {
            return Character.isDigit(prev) && Character.isDigit(next);
        }
        return false;
    }

    private void add(int from, int to, boolean isSymbol) {
        if (count == start.length) {
            int cap = count * 2;
            start = java.util.Arrays.copyOf(start, cap);
            end = java.util.Arrays.copyOf(end, cap);
            hash = java.util.Arrays.copyOf(hash, cap);
            symbol = java.util.Arrays.copyOf(symbol, cap);
        }
        long h = 0xcbf29ce484222325L;
        for (int k = from; k < to; k++) {
            h ^= text.charAt(k);
            h *= 0x100000001b3L;
        }
        start[count] = from;
        end[count] = to;
        hash[count] = mix(h);
        symbol[count] = isSymbol;
        count++;
    }

    /** splitmix64 finaliser: spreads FNV bits so n-gram combinations do not collide in practice. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public int count() {
        return count;
    }

    /** Offset of token {@code i} in the text. */
    public int start(int i) {
        return start[i];
    }

    public int length(int i) {
        return end[i] - start[i];
    }

    public long hash(int i) {
        return hash[i];
    }

    /** True for a token with no letter or digit ("...", "#", "—"). */
    public boolean isSymbol(int i) {
        return symbol[i];
    }

    /** Case-insensitive comparison of token {@code i} with a lower-case ASCII word, without allocating. */
    public boolean equalsLower(int i, String lowerWord) {
        int len = end[i] - start[i];
        if (len != lowerWord.length()) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            char c = text.charAt(start[i] + k);
            // ASCII: setting bit 5 lower-cases a letter and can turn no other ASCII character into a letter
            if ((c < 128 ? (char) (c | 0x20) : Character.toLowerCase(c)) != lowerWord.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** True when the token has at least one letter. */
    public boolean hasLetter(int i) {
        for (int k = start[i]; k < end[i]; k++) {
            if (Character.isLetter(text.charAt(k))) {
                return true;
            }
        }
        return false;
    }
}
