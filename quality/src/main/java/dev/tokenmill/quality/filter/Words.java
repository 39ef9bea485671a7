package dev.tokenmill.quality.filter;

/**
 * Splits text into word and punctuation tokens roughly as NLTK's word_tokenize does for the rules DataTrove
 * applies: a word is a run of letters/digits (apostrophes and hyphens between letters, '.' and ',' between digits
 * stay inside it); a run of other non-space characters ("...", "#", "--") is one symbol token.
 *
 * <p>Tokens are kept as offsets into the text plus a 64-bit hash ({@link #hash}), so n-gram rules never build strings.
 * One instance is reused across documents by one thread.
 */
public final class Words {
    private static final ThreadLocal<Words> SHARED = ThreadLocal.withInitial(Words::new);

    /**
     * Per BMP char: its class (bits 0-1: other/symbol, space, word character, or surrogate, decided by code point)
     * and whether Character.isLetter holds (bit 2). 64 KB, built once: the scan does one lookup per char.
     */
    private static final byte[] CLASS = new byte[65536];

    private static final int OTHER = 0;
    private static final int SPACE = 1;
    private static final int WORD = 2;
    private static final int SURROGATE = 3;
    private static final int LETTER_BIT = 4;

    static {
        for (int c = 0; c < 65536; c++) {
            int cls = Character.isSurrogate((char) c)
                    ? SURROGATE
                    : Character.isWhitespace(c) ? SPACE : isWordCodePoint(c) ? WORD : OTHER;
            CLASS[c] = (byte) (cls | (Character.isLetter((char) c) ? LETTER_BIT : 0));
        }
    }

    private String text = "";
    private char[] chars = new char[4096];
    private int count;
    private int[] start = new int[256];
    private int[] end = new int[256];
    private long[] hash = new long[256];
    private byte[] flags = new byte[256];
    private static final byte SYMBOL_FLAG = 1;
    private static final byte LETTER_FLAG = 2;

    /**
     * The tokens of {@code s} from this thread's shared instance: filters that run one after another on the same
     * text (same object) tokenize it once. The result is valid until the next call on this thread.
     */
    public static Words of(String s) {
        Words w = SHARED.get();
        return w.text == s && w.text != null ? w : w.split(s);
    }

    /**
     * Tokenizes {@code s}, replacing the previous content. One scan over a copy of the characters computes each
     * token's bounds, hash and whether it has a letter; chars are classified by table (surrogates by
     * their code point).
     */
    public Words split(String s) {
        this.text = s;
        count = 0;
        int n = s.length();
        if (chars.length < n + SLACK) {
            chars = new char[Math.max(n + SLACK, chars.length * 2)];
        }
        char[] a = chars;
        s.getChars(0, n, a, 0);
        int i = 0;
        while (i < n) {
            int t = CLASS[a[i]];
            int cls = t & 3;
            if (cls == SURROGATE) {
                cls = isWordChar(a, i, n) ? WORD : OTHER;
            }
            if (cls == SPACE) {
                i++;
                continue;
            }
            int from = i;
            boolean letter = (t & LETTER_BIT) != 0;
            if (cls == WORD) {
                i += step(a, i, n);
                while (i < n) {
                    t = CLASS[a[i]];
                    int k = t & 3;
                    if (k == WORD) {
                        letter |= (t & LETTER_BIT) != 0;
                        i++;
                    } else if (k == SURROGATE && isWordChar(a, i, n)) {
                        i += step(a, i, n);
                    } else if (k == OTHER && isJoiner(a, i, n)) {
                        i++; // joiners are single chars and not letters
                    } else {
                        break;
                    }
                }
            } else {
                i++;
                while (i < n) {
                    int k = CLASS[a[i]] & 3;
                    if (k == SURROGATE) {
                        k = isWordChar(a, i, n) ? WORD : OTHER;
                    }
                    if (k != OTHER) {
                        break;
                    }
                    i++;
                }
            }
            add(from, i, hash(a, from, i), cls != WORD, letter);
        }
        return this;
    }

    /** Chars of the code point at {@code i}: 2 only for a surrogate pair. */
    private static int step(char[] a, int i, int n) {
        return Character.isHighSurrogate(a[i]) && i + 1 < n && Character.isLowSurrogate(a[i + 1]) ? 2 : 1;
    }

    /**
     * A 64-bit hash of {@code a[from, to)}: four chars per multiply (a per-char FNV chain is latency-bound, and
     * hashing was most of the tokenizer's time), rotated so high bits feed back into low ones, then splitmix64.
     * Equal ranges hash equal; the filters compare words, lines and n-grams by these hashes.
     */
    static long hash(char[] a, int from, int to) {
        int len = to - from;
        if (len <= 4 && from + 4 <= a.length) {
            // most tokens: their chars packed into one long (a bijection per length), mixed once; no loop
            return mix(packed4(a, from, len) ^ SHORT_SALT[len]);
        }
        long h = 0x9E3779B97F4A7C15L ^ len;
        long g = LANE2_SEED; // a second lane over every other block halves the multiply chain
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long v = a[i] | (long) a[i + 1] << 16 | (long) a[i + 2] << 32 | (long) a[i + 3] << 48;
            long w = a[i + 4] | (long) a[i + 5] << 16 | (long) a[i + 6] << 32 | (long) a[i + 7] << 48;
            h = Long.rotateLeft((h ^ v) * 0xC2B2AE3D27D4EB4FL, 29);
            g = Long.rotateLeft((g ^ w) * 0x9FB21C651E98DF25L, 29);
        }
        for (; i + 4 <= to; i += 4) {
            long v = a[i] | (long) a[i + 1] << 16 | (long) a[i + 2] << 32 | (long) a[i + 3] << 48;
            h = Long.rotateLeft((h ^ v) * 0xC2B2AE3D27D4EB4FL, 29);
        }
        if (i < to) {
            long v = 0;
            for (int shift = 0; i < to; i++, shift += 16) {
                v |= (long) a[i] << shift;
            }
            h = Long.rotateLeft((h ^ v) * 0xC2B2AE3D27D4EB4FL, 29);
        }
        return mix(h ^ (g == LANE2_SEED ? LANE2_SEED_MIXED : mix(g))); // a short token never touched lane two
    }

    /** Array slack after the text so {@link #packed4} may read four chars from any token start. */
    private static final int SLACK = 4;

    private static final long[] SHORT_MASK = {0L, 0xFFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFF_FFFFL, -1L};
    private static final long[] SHORT_SALT = {
        0x243F6A8885A308D3L, 0x13198A2E03707344L, 0xA4093822299F31D0L, 0x082EFA98EC4E6C89L, 0x452821E638D01377L
    };

    /**
     * The {@code len <= 4} chars at {@code from}, 16 bits each, first char lowest; reads four chars, so the array
     * must hold {@code from + 4} of them (the chars past the range are masked off).
     */
    static long packed4(char[] a, int from, int len) {
        long v = a[from] | (long) a[from + 1] << 16 | (long) a[from + 2] << 32 | (long) a[from + 3] << 48;
        return v & SHORT_MASK[len];
    }

    private static final long LANE2_SEED = 0x632BE59BD9B4E019L;
    private static final long LANE2_SEED_MIXED = mix(LANE2_SEED);

    /** Character.isWhitespace(char), by table. */
    static boolean isSpace(char c) {
        return (CLASS[c] & 3) == SPACE;
    }

    /** A letter, digit, combining mark or '_' (by code point). */
    private static boolean isWordChar(char[] a, int i, int n) {
        char c = a[i];
        return Character.isSurrogate(c) ? isWordCodePoint(Character.codePointAt(a, i, n)) : (CLASS[c] & 3) == WORD;
    }

    private static boolean isWordCodePoint(int cp) {
        if (Character.isLetterOrDigit(cp) || cp == '_') {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    /** An apostrophe or hyphen between letters, or '.'/',' between digits, continues the word. */
    private static boolean isJoiner(char[] a, int i, int n) {
        if (i == 0 || i + 1 >= n) {
            return false;
        }
        char c = a[i];
        char prev = a[i - 1];
        char next = a[i + 1];
        if (c == '\'' || c == '’' || c == '-') {
            return Character.isLetter(prev) && Character.isLetter(next);
        }
        if (c == '.' || c == ',') {
            return Character.isDigit(prev) && Character.isDigit(next);
        }
        return false;
    }

    private void add(int from, int to, long tokenHash, boolean isSymbol, boolean hasLetter) {
        if (count == start.length) {
            int cap = count * 2;
            start = java.util.Arrays.copyOf(start, cap);
            end = java.util.Arrays.copyOf(end, cap);
            hash = java.util.Arrays.copyOf(hash, cap);
            flags = java.util.Arrays.copyOf(flags, cap);
        }
        start[count] = from;
        end[count] = to;
        hash[count] = tokenHash;
        flags[count] = (byte) ((isSymbol ? SYMBOL_FLAG : 0) | (hasLetter ? LETTER_FLAG : 0));
        count++;
    }

    /** splitmix64 finaliser: spreads the bits so n-gram combinations do not collide in practice. */
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
        return (flags[i] & SYMBOL_FLAG) != 0;
    }

    /** True when the token has at least one letter (Character.isLetter on one of its chars). */
    public boolean hasLetter(int i) {
        return (flags[i] & LETTER_FLAG) != 0;
    }

    /** The characters of the current text (valid up to its length until the next split on this thread). */
    char[] chars() {
        return chars;
    }
}
