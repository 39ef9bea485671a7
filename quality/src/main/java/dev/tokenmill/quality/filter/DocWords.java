package dev.tokenmill.quality.filter;

import dev.tokenmill.quality.nltk.NltkWordSplitter;
import dev.tokenmill.quality.nltk.PunktSentenceTokenizer;
import java.util.List;

/**
 * The words DataTrove's English filters see: NLTK's {@code word_tokenize(text)} ({@link NltkWordSplitter}), each
 * token reduced to what the Gopher and FineWeb rules ask of it: a 64-bit hash of its characters (n-grams and
 * duplicates are compared by hash), its length in code points, whether it is a "symbol" (every character in
 * DataTrove's {@code PUNCTUATION_SET}), whether it has an alphabetic character ({@code str.isalpha}), and which
 * Gopher stop word it is, exactly or lower-cased. These are computed once per distinct chunk of text and cached.
 *
 * <p>One instance per thread ({@link #of}); the filters that run one after another on the same text share it.
 */
public final class DocWords {
    private static final ThreadLocal<DocWords> SHARED = ThreadLocal.withInitial(DocWords::new);
    static final String[] STOP_WORDS = {"the", "be", "to", "of", "and", "that", "have", "with"};
    private static final byte SYMBOL = 1;
    private static final byte ALPHA = 2;

    /** The tokens of one cached unit of text, reduced to their features. */
    private record Unit(
            long[] hash, int[] length, byte[] flags, byte[] stop, byte[] stopLower, char[] chars, int[] charEnd) {}

    private final NltkWordSplitter<Unit> splitter =
            new NltkWordSplitter<>(PunktSentenceTokenizer.english(), DocWords::unit, 1 << 18);
    private final NltkWordSplitter.Sink<Unit> append = new NltkWordSplitter.Sink<>() {
        @Override
        public void accept(Unit unit) {
            append(unit);
        }

        @Override
        public void plain(String text, int from, int to) {
            appendPlain(from, to);
        }
    };
    private String text;
    /** The text's chars, with slack for the hash's four-char reads. */
    private char[] chars = new char[4096];

    private int count;
    private long[] hash = new long[256];
    private int[] length = new int[256];
    private byte[] flags = new byte[256];
    private byte[] stop = new byte[256];
    private byte[] stopLower = new byte[256];
    /** The tokens' characters one after another (the tokens are not always substrings of the text). */
    private char[] tokenChars = new char[4096];
    /** Where token i ends in {@link #tokenChars}; {@code tokenEnd[-1]} is 0. */
    private int[] tokenEnd = new int[256];

    /** The words of {@code text} from this thread's instance, tokenized once per text object. */
    public static DocWords of(String text) {
        DocWords w = SHARED.get();
        if (w.text != text) {
            w.split(text);
        }
        return w;
    }

    /**
     * The chars of {@code text} (with four chars of slack): this thread's copy when it holds {@code text}, so filters
     * that follow one another on the same text copy it once; else a fresh copy in this thread's scratch buffer. Valid
     * until the next call on this thread.
     */
    static char[] charsOf(String text) {
        DocWords w = SHARED.get();
        return w.text == text ? w.chars : dev.tokenmill.quality.TextScratch.copy(text);
    }

    /** Tokenizes {@code text}, replacing the previous content. */
    public DocWords split(String text) {
        this.text = text;
        count = 0;
        if (tokenChars.length < text.length() * 2 + 16) {
            tokenChars = new char[Math.max(text.length() * 2 + 16, tokenChars.length * 2)];
        }
        if (chars.length < text.length() + 4) {
            chars = new char[Math.max(text.length() + 4, chars.length * 2)];
        }
        text.getChars(0, text.length(), chars, 0);
        splitter.wordTokenize(text, append);
        return this;
    }

    private void ensure(int tokens, int chars) {
        if (count + tokens > hash.length) {
            int cap = Math.max(count + tokens, hash.length * 2);
            hash = java.util.Arrays.copyOf(hash, cap);
            length = java.util.Arrays.copyOf(length, cap);
            flags = java.util.Arrays.copyOf(flags, cap);
            stop = java.util.Arrays.copyOf(stop, cap);
            stopLower = java.util.Arrays.copyOf(stopLower, cap);
            tokenEnd = java.util.Arrays.copyOf(tokenEnd, cap);
        }
        int used = charsUsed();
        if (used + chars > tokenChars.length) {
            tokenChars = java.util.Arrays.copyOf(tokenChars, Math.max(used + chars, tokenChars.length * 2));
        }
    }

    private int charsUsed() {
        return count == 0 ? 0 : tokenEnd[count - 1];
    }

    private void append(Unit u) {
        int k = u.hash.length;
        ensure(k, u.chars.length);
        int used = charsUsed();
        System.arraycopy(u.chars, 0, tokenChars, used, u.chars.length);
        for (int i = 0; i < k; i++) {
            tokenEnd[count + i] = used + u.charEnd[i];
        }
        System.arraycopy(u.hash, 0, hash, count, k);
        System.arraycopy(u.length, 0, length, count, k);
        System.arraycopy(u.flags, 0, flags, count, k);
        System.arraycopy(u.stop, 0, stop, count, k);
        System.arraycopy(u.stopLower, 0, stopLower, count, k);
        count += k;
    }

    /**
     * A token that is {@code text[from, to)}, ASCII (see {@link NltkWordSplitter.Sink#plain}): its features come from
     * the chars directly, and only a token of 2-4 chars can be a stop word.
     */
    private void appendPlain(int from, int to) {
        int len = to - from;
        ensure(1, len);
        char[] a = chars;
        int used = charsUsed();
        System.arraycopy(a, from, tokenChars, used, len);
        tokenEnd[count] = used + len;
        hash[count] = Words.hash(a, from, to);
        length[count] = len;
        boolean alpha = false;
        boolean symbol = true;
        for (int i = from; i < to; i++) {
            alpha |= Character.isLetter(a[i]);
            symbol &= DataTroveText.isPunctuation(a[i]);
        }
        flags[count] = (byte) ((symbol ? SYMBOL : 0) | (alpha ? ALPHA : 0));
        int exact = -1;
        int lower = -1;
        if (len >= 2 && len <= 4) {
            long packed = Words.packed4(a, from, len);
            for (int s = 0; s < STOP_KEYS.length; s++) {
                if (STOP_KEYS[s] == packed) {
                    exact = s;
                }
                if (STOP_KEYS[s] == (packed | LOWER_BITS[len])) {
                    lower = s;
                }
            }
        }
        stop[count] = (byte) exact;
        stopLower[count] = (byte) lower;
        count++;
    }

    /**
     * Each stop word's chars packed as {@link Words#packed4} packs them; OR-ing bit 5 into each char lower-cases ASCII
     * letters (and maps no digit onto a letter), which is {@code lower()} for these tokens.
     */
    private static final long[] STOP_KEYS = java.util.Arrays.stream(STOP_WORDS)
            .mapToLong(w -> {
                long key = 0;
                for (int k = 0; k < w.length(); k++) {
                    key |= (long) w.charAt(k) << (16 * k);
                }
                return key;
            })
            .toArray();

    private static final long[] LOWER_BITS = {0L, 0x20L, 0x0020_0020L, 0x0020_0020_0020L, 0x0020_0020_0020_0020L};

    private static Unit unit(List<String> tokens) {
        int k = tokens.size();
        StringBuilder all = new StringBuilder();
        int[] charEnd = new int[k];
        for (int i = 0; i < k; i++) {
            all.append(tokens.get(i));
            charEnd[i] = all.length();
        }
        Unit u = new Unit(
                new long[k],
                new int[k],
                new byte[k],
                new byte[k],
                new byte[k],
                all.toString().toCharArray(),
                charEnd);
        for (int i = 0; i < k; i++) {
            String t = tokens.get(i);
            char[] chars = java.util.Arrays.copyOf(t.toCharArray(), t.length() + 4); // slack for the hash's 4-char read
            u.hash[i] = Words.hash(chars, 0, t.length());
            u.length[i] = t.codePointCount(0, t.length());
            boolean symbol = true;
            boolean alpha = false;
            for (int j = 0; j < t.length(); ) {
                int cp = t.codePointAt(j);
                symbol &= DataTroveText.isPunctuation(cp);
                alpha |= Character.isLetter(cp);
                j += Character.charCount(cp);
            }
            u.flags[i] = (byte) ((symbol ? SYMBOL : 0) | (alpha ? ALPHA : 0));
            u.stop[i] = (byte) stopIndex(t);
            u.stopLower[i] = (byte) stopIndex(t.toLowerCase(java.util.Locale.ROOT));
        }
        return u;
    }

    private static int stopIndex(String token) {
        for (int s = 0; s < STOP_WORDS.length; s++) {
            if (STOP_WORDS[s].equals(token)) {
                return s;
            }
        }
        return -1;
    }

    public int count() {
        return count;
    }

    /** The characters of all tokens one after another; token {@code i} is {@code [charStart(i), charEnd(i))}. */
    char[] tokenChars() {
        return tokenChars;
    }

    int charStart(int i) {
        return i == 0 ? 0 : tokenEnd[i - 1];
    }

    int charEnd(int i) {
        return tokenEnd[i];
    }

    /** Length of word {@code i} in code points (Python's {@code len}). */
    public int length(int i) {
        return length[i];
    }

    public long hash(int i) {
        return hash[i];
    }

    /** Every character of word {@code i} is in DataTrove's {@code PUNCTUATION_SET}. */
    public boolean isSymbol(int i) {
        return (flags[i] & SYMBOL) != 0;
    }

    /** Word {@code i} has a character for which Python's {@code str.isalpha()} holds. */
    public boolean hasLetter(int i) {
        return (flags[i] & ALPHA) != 0;
    }

    /** The index in {@link #STOP_WORDS} of word {@code i} as written (or lower-cased), or -1. */
    public int stopWord(int i, boolean ignoreCase) {
        return ignoreCase ? stopLower[i] : stop[i];
    }
}
