package dev.tokenmill.quality.nltk;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code word_tokenize} as {@link NltkWordTokenizer#wordTokenize} computes it, fast enough for quality filters: the
 * same tokens, found by running the rule cascade once per distinct whitespace-separated chunk in its context instead
 * of once per sentence.
 *
 * <p>Why this is exact: every rule of the cascade matches inside one chunk plus at most the whitespace character on
 * each side of it, except where a rule is anchored to the sentence's start ({@code ^"}) or end (the final-period rule,
 * whose tail may span spaces and closing quotes or brackets, and {@code [:,]$}). So a sentence is cut into units: the
 * first chunk (with the sentence's leading whitespace), each middle chunk alone, and a tail starting at the last
 * chunk that is not only closing marks. A unit is tokenized as the cascade sees it inside the sentence: a middle chunk
 * as {@code "x" + ws + chunk + ws + "x"} with its real neighbouring whitespace characters (a rule may need a literal
 * space, not a tab), and the placeholder tokens removed. Units repeat across documents (Zipf), so their results are
 * memoized per instance; {@code NltkWordSplitterTest} checks the equality against the whole-sentence cascade on
 * random and real text, and the reference tests against python3-nltk.
 *
 * <p>Results are delivered per unit as a value of type {@code V} computed once per distinct unit from its tokens (a
 * filter stores hashes and flags there, so a cache hit costs no per-token work). Not thread-safe: one per thread.
 *
 * @param <V> what a unit's tokens are turned into
 */
public final class NltkWordSplitter<V> {
    /** Receives the tokens of a text in order: a cached unit's value, or one plain token given by its place. */
    public interface Sink<V> {
        void accept(V unit);

        /**
         * A token that is {@code text[from, to)} verbatim, all ASCII: letters, digits, {@code _} and {@code -},
         * perhaps ending in {@code .}; or one of {@code , ; : ! ? .} (the chunks of {@link #plainWord}, which skip
         * the cache).
         */
        void plain(String text, int from, int to);
    }

    private static final char MIDDLE = 0;
    private static final char FIRST = 1;
    private static final char LAST = 2;
    private static final char WHOLE = 3;
    /** Closing marks the final-period rule lets follow the period across spaces. */
    private static final String CLOSERS = "])}>\"'»”’";
    /** Longer units are tokenized every time: rare, and they would bloat the cache. */
    private static final int MAX_CACHED_KEY = 48;

    private final PunktSentenceTokenizer punkt;
    private final Function<List<String>, V> convert;
    private final UnitCache<V> cache;
    private char[] key = new char[64];
    private int[] chunkStart = new int[64];
    private int[] chunkEnd = new int[64];

    /**
     * @param convert turns a unit's tokens into the delivered value (called once per distinct cached unit)
     * @param cacheCapacity distinct units kept (the cache empties itself when full)
     */
    public NltkWordSplitter(PunktSentenceTokenizer punkt, Function<List<String>, V> convert, int cacheCapacity) {
        this.punkt = punkt;
        this.convert = convert;
        this.cache = new UnitCache<>(cacheCapacity);
    }

    /** A splitter that returns plain token lists, with the shipped English Punkt parameters. */
    public static NltkWordSplitter<List<String>> english() {
        return new NltkWordSplitter<>(PunktSentenceTokenizer.english(), tokens -> tokens, 1 << 16);
    }

    /** The tokens of {@code word_tokenize(text)} as one list (for tests and small inputs). */
    public static List<String> flatten(NltkWordSplitter<List<String>> splitter, String text) {
        List<String> out = new ArrayList<>();
        splitter.wordTokenize(text, collector(out));
        return out;
    }

    /** A sink that appends every token to {@code out}. */
    public static Sink<List<String>> collector(List<String> out) {
        return new Sink<>() {
            @Override
            public void accept(List<String> unit) {
                out.addAll(unit);
            }

            @Override
            public void plain(String text, int from, int to) {
                out.add(text.substring(from, to));
            }
        };
    }

    /** Delivers the units of {@code word_tokenize(text)}: Punkt sentences, each split as {@link #tokenize} does. */
    public void wordTokenize(String text, Sink<V> sink) {
        for (int[] span : punkt.spans(text)) {
            tokenize(text, span[0], span[1], sink);
        }
    }

    /** Delivers the units of one sentence, {@code text[from, to)}: {@code NLTKWordTokenizer().tokenize} of it. */
    public void tokenize(String text, int from, int to, Sink<V> sink) {
        int chunks = findChunks(text, from, to);
        if (chunks == 0) {
            return; // whitespace only: no rule adds a token
        }
        int tail = chunks - 1;
        while (tail > 0 && onlyClosers(text, chunkStart[tail], chunkEnd[tail])) {
            tail--;
        }
        if (tail == 0) {
            deliver(WHOLE, text, from, to, sink);
            return;
        }
        if (chunkStart[0] > from || !plainWord(text, chunkStart[0], chunkEnd[0], false, sink)) {
            deliver(FIRST, text, from, chunkEnd[0] + 1, sink);
        }
        for (int k = 1; k < tail; k++) {
            if (!plainWord(text, chunkStart[k], chunkEnd[k], false, sink)) {
                deliver(MIDDLE, text, chunkStart[k] - 1, chunkEnd[k] + 1, sink);
            }
        }
        if (chunkEnd[tail] < to || !plainWord(text, chunkStart[tail], chunkEnd[tail], true, sink)) {
            deliver(LAST, text, chunkStart[tail] - 1, to, sink);
        }
    }

    /**
     * The common chunk, decided without the cascade or the cache: ASCII letters, digits, {@code _} and single hyphens,
     * optionally followed by one of {@code , ; : ! ? .}, with no hyphen-separated part that is a contraction word the
     * cascade splits ("cannot", "gimme", "gonna", "gotta", "lemme", "wanna": their rules need a word boundary, which
     * a hyphen gives). The cascade splits the mark off ({@code [:,]} before whitespace or at the end,
     * {@code [;@#$%&]}, {@code [?!]}) except a period, which it splits only at the sentence's end; {@code --} is its
     * own rule, so a double hyphen is not plain. No other rule matches such a chunk whatever whitespace surrounds it.
     */
    private boolean plainWord(String text, int from, int to, boolean sentenceEnd, Sink<V> sink) {
        char last = text.charAt(to - 1);
        boolean mark = last == ',' || last == ';' || last == ':' || last == '!' || last == '?' || last == '.';
        int coreEnd = mark ? to - 1 : to;
        if (coreEnd == from) {
            return false;
        }
        int partStart = from;
        for (int i = from; i < coreEnd; i++) {
            char c = text.charAt(i);
            if (c >= 128 || !PLAIN[c]) {
                return false;
            }
            if (c == '-') {
                if (i + 1 < coreEnd && text.charAt(i + 1) == '-') {
                    return false;
                }
                if (contractionWord(text, partStart, i - partStart)) {
                    return false;
                }
                partStart = i + 1;
            }
        }
        if (contractionWord(text, partStart, coreEnd - partStart)) {
            return false;
        }
        if (!mark || (last == '.' && !sentenceEnd)) {
            sink.plain(text, from, to);
        } else {
            sink.plain(text, from, coreEnd);
            sink.plain(text, coreEnd, to);
        }
        return true;
    }

    /** ASCII letters, digits, '_' and '-'. */
    private static final boolean[] PLAIN = new boolean[128];

    private static final String[] CONTRACTION_WORDS = {"cannot", "gimme", "gonna", "gotta", "lemme", "wanna"};

    static {
        for (char c = '0'; c <= '9'; c++) {
            PLAIN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            PLAIN[c] = true;
            PLAIN[Character.toUpperCase(c)] = true;
        }
        PLAIN['_'] = true;
        PLAIN['-'] = true;
    }

    private static boolean contractionWord(String text, int from, int len) {
        if (len != 5 && len != 6) {
            return false;
        }
        char first = (char) (text.charAt(from) | 0x20); // ASCII lower case
        if (first != 'c' && first != 'g' && first != 'l' && first != 'w') {
            return false;
        }
        for (String w : CONTRACTION_WORDS) {
            if (w.length() == len && text.regionMatches(true, from, w, 0, len)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One unit, {@code text[from, to)} including the whitespace characters that are its context: from the cache, or
     * through the cascade with placeholder neighbours where the unit does not touch the sentence's edge.
     */
    private void deliver(char kind, String text, int from, int to, Sink<V> sink) {
        int length = to - from + 1;
        if (length > MAX_CACHED_KEY) {
            sink.accept(convert.apply(cascade(kind, text.substring(from, to))));
            return;
        }
        if (key.length < length) {
            key = new char[length * 2];
        }
        key[0] = kind;
        text.getChars(from, to, key, 1);
        V value = cache.get(key, length);
        if (value == null) {
            value = convert.apply(cascade(kind, text.substring(from, to)));
            cache.put(key, length, value);
        }
        sink.accept(value);
    }

    /** The tokens the unit contributes to its sentence. */
    static List<String> cascade(char kind, String unit) {
        String input = switch (kind) {
            case MIDDLE -> "x" + unit + "x";
            case FIRST -> unit + "x";
            case LAST -> "x" + unit;
            default -> unit;
        };
        List<String> tokens = NltkWordTokenizer.tokenize(input);
        int drop0 = kind == MIDDLE || kind == LAST ? 1 : 0;
        int dropN = kind == MIDDLE || kind == FIRST ? 1 : 0;
        if (tokens.size() < drop0 + dropN
                || (drop0 == 1 && !tokens.get(0).equals("x"))
                || (dropN == 1 && !tokens.get(tokens.size() - 1).equals("x"))) {
            // cannot happen for the cascade as written (a lone "x" between whitespace is never rewritten); fail loudly
            throw new IllegalStateException("placeholder not kept whole tokenizing " + input);
        }
        return List.copyOf(tokens.subList(drop0, tokens.size() - dropN));
    }

    private int findChunks(String text, int from, int to) {
        int count = 0;
        int i = from;
        while (i < to) {
            while (i < to && PyChars.isSpace(text.charAt(i))) {
                i++;
            }
            if (i == to) {
                break;
            }
            int start = i;
            while (i < to && !PyChars.isSpace(text.charAt(i))) {
                i++;
            }
            if (count == chunkStart.length) {
                chunkStart = java.util.Arrays.copyOf(chunkStart, count * 2);
                chunkEnd = java.util.Arrays.copyOf(chunkEnd, count * 2);
            }
            chunkStart[count] = start;
            chunkEnd[count] = i;
            count++;
        }
        return count;
    }

    private static boolean onlyClosers(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (CLOSERS.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Open-addressing map from a unit's chars to its value; cleared when half full. Each slot keeps the key's full
     * hash beside it, so a probe reads the key's chars only when the hashes agree (a key is a separate array, and
     * following the reference is a cache miss).
     */
    private static final class UnitCache<V> {
        private final int capacity;
        private final int[] hashes;
        private final char[][] keys;
        private final Object[] values;
        private final int shift;
        private int size;

        UnitCache(int capacity) {
            int slots = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1) * 2;
            this.capacity = slots / 2;
            this.hashes = new int[slots];
            this.keys = new char[slots][];
            this.values = new Object[slots];
            this.shift = 32 - Integer.numberOfTrailingZeros(slots);
        }

        @SuppressWarnings("unchecked")
        V get(char[] key, int length) {
            int h = hash(key, length);
            int mask = keys.length - 1;
            for (int slot = h >>> shift; ; slot = (slot + 1) & mask) {
                char[] k = keys[slot];
                if (k == null) {
                    return null;
                }
                if (hashes[slot] == h && k.length == length && java.util.Arrays.equals(k, 0, length, key, 0, length)) {
                    return (V) values[slot];
                }
            }
        }

        void put(char[] key, int length, V value) {
            if (size >= capacity) {
                java.util.Arrays.fill(keys, null);
                java.util.Arrays.fill(values, null);
                size = 0;
            }
            int h = hash(key, length);
            int mask = keys.length - 1;
            int slot = h >>> shift;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            hashes[slot] = h;
            keys[slot] = java.util.Arrays.copyOf(key, length);
            values[slot] = value;
            size++;
        }

        /** A multiplicative hash whose high bits pick the slot. */
        private static int hash(char[] key, int length) {
            long h = length;
            int i = 0;
            for (; i + 2 <= length; i += 2) {
                h = (h + (key[i] | (long) key[i + 1] << 16)) * 0x9E3779B97F4A7C15L;
            }
            if (i < length) {
                h = (h + key[i]) * 0x9E3779B97F4A7C15L;
            }
            return (int) (h >>> 32) ^ (int) h;
        }
    }
}
