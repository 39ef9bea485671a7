package dev.tokenmill.quality.filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gopher quality rules (Rae et al. 2021, "Scaling Language Models", App. A.1.1, Table A1), measured as
 * DataTrove's {@code GopherQualityFilter} measures them. A document is dropped by the first rule it breaks:
 * <ol>
 *   <li>non-symbol words &lt; 50 or &gt; 100,000;</li>
 *   <li>mean length of non-symbol words &lt; 3 or &gt; 10;</li>
 *   <li>{@code #} per word &gt; 0.1; {@code ...}/{@code …} per word &gt; 0.1;</li>
 *   <li>lines starting with a bullet &gt; 90 %; lines ending with an ellipsis &gt; 30 %;</li>
 *   <li>words with an alphabetic character &lt; 80 %;</li>
 *   <li>fewer than 2 of the stop words {the, be, to, of, and, that, have, with}. The paper counts distinct
 *       stop words ("at least two of"); DataTrove counts occurrences — {@code stop_words_distinct: 0} selects that.</li>
 * </ol>
 * "Words" are all tokens (see {@link Words}); ratios divide by all tokens as DataTrove does.
 */
public final class GopherQualityFilter implements TextFilter {
    public static final String NAME = "gopher_quality";
    static final String[] STOP_WORDS = {"the", "be", "to", "of", "and", "that", "have", "with"};
    private static final String BULLETS = "•-*‣◦▪●–";

    public static Map<String, Double> defaults() {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("min_words", 50.0);
        d.put("max_words", 100_000.0);
        d.put("min_mean_word_length", 3.0);
        d.put("max_mean_word_length", 10.0);
        d.put("max_hash_ratio", 0.1);
        d.put("max_ellipsis_ratio", 0.1);
        d.put("max_bullet_lines_ratio", 0.9);
        d.put("max_ellipsis_lines_ratio", 0.3);
        d.put("min_alpha_words_ratio", 0.8);
        d.put("min_stop_words", 2.0);
        d.put("stop_words_distinct", 1.0);
        return d;
    }

    private final Thresholds t;

    public GopherQualityFilter(Map<String, ?> overrides) {
        this.t = new Thresholds(NAME, defaults(), overrides);
    }

    @Override
    public Thresholds thresholds() {
        return t;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> signals() {
        return List.of("gopher_words", "gopher_mean_word_length", "gopher_hash_ratio", "gopher_ellipsis_ratio",
            "gopher_bullet_lines_ratio", "gopher_ellipsis_lines_ratio", "gopher_alpha_words_ratio", "gopher_stop_words");
    }

    /** Each stop word's chars packed as {@link #packedLower} packs a token. */
    private static final long[] STOP_KEYS = java.util.Arrays.stream(STOP_WORDS).mapToLong(w -> {
        long key = 0;
        for (int k = 0; k < w.length(); k++) {
            key |= (long) w.charAt(k) << (16 * k);
        }
        return key;
    }).toArray();

    /**
     * The index in {@link #STOP_WORDS} of word {@code i} in any case, or -1. Python's {@code str.lower()} maps no
     * non-ASCII character to a letter of these words ('İ' becomes "i̇", two chars), so only ASCII tokens of 2-4
     * chars can match: their chars, lower-cased, packed into one long and compared.
     */
    private static int stopWord(Words words, int i, char[] text) {
        int len = words.length(i);
        if (len < 2 || len > 4) {
            return -1;
        }
        long key = packedLower(text, words.start(i), len);
        if (key < 0) {
            return -1;
        }
        for (int s = 0; s < STOP_KEYS.length; s++) {
            if (STOP_KEYS[s] == key) {
                return s;
            }
        }
        return -1;
    }

    /**
     * Up to 4 ASCII chars lower-cased (bit 5 set: exact for letters, and no other ASCII char becomes a letter),
     * 16 bits each; -1 when one is not ASCII. Branch-free: the shared buffer has slack for a four-char read.
     */
    private static long packedLower(char[] a, int from, int len) {
        long v = Words.packed4(a, from, len);
        if ((v & 0xFF80_FF80_FF80_FF80L) != 0) {
            return -1;
        }
        return v | (0x0020_0020_0020_0020L & LOWER_MASK[len]);
    }

    private static final long[] LOWER_MASK = {0L, 0xFFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFF_FFFFL, -1L};

    @Override
    public Outcome evaluate(String text, double[] out, int o) {
        Words words = Words.of(text);
        char[] a = words.chars();
        int n = words.count();
        int nonSymbol = 0;
        long nonSymbolChars = 0;
        int alpha = 0;
        int stopMask = 0;
        int stopOccurrences = 0;
        int hashes = 0;
        int ellipses = 0;
        for (int i = 0; i < n; i++) {
            if (words.isSymbol(i)) {
                // '#', '.' runs and '…' are symbol characters, so they only occur in symbol tokens (a '.' inside a
                // word joins digits and is never part of "..."): counting there is counting in the whole text
                int from = words.start(i);
                int to = from + words.length(i);
                for (int j = from; j < to; j++) {
                    char c = a[j];
                    if (c == '#') {
                        hashes++;
                    } else if (c == '…') {
                        ellipses++;
                    } else if (c == '.' && j + 2 < to && a[j + 1] == '.' && a[j + 2] == '.') {
                        ellipses++;
                        j += 2; // count "..." once, as str.count does (non-overlapping)
                    }
                }
            } else {
                nonSymbol++;
                nonSymbolChars += words.length(i);
            }
            if (words.hasLetter(i)) {
                alpha++;
                int s = stopWord(words, i, a);
                if (s >= 0) {
                    stopMask |= 1 << s;
                    stopOccurrences++;
                }
            }
        }
        int lines = 0;
        int bulletLines = 0;
        int ellipsisLines = 0;
        int len = text.length();
        for (int lineStart = 0; lineStart <= len; ) {
            int lineEnd = text.indexOf('\n', lineStart); // vectorised search
            if (lineEnd < 0) {
                lineEnd = len;
            }
            lines++;
            int from = lineStart;
            int to = lineEnd;
            while (from < to && Words.isSpace(a[from])) {
                from++;
            }
            while (to > from && Words.isSpace(a[to - 1])) {
                to--;
            }
            if (from < to && BULLETS.indexOf(a[from]) >= 0) {
                bulletLines++;
            }
            if (to > from && (a[to - 1] == '…' || (to - from >= 3 && a[to - 1] == '.' && a[to - 2] == '.' && a[to - 3] == '.'))) {
                ellipsisLines++;
            }
            lineStart = lineEnd + 1;
        }
        double meanLen = nonSymbol == 0 ? 0 : (double) nonSymbolChars / nonSymbol;
        double hashRatio = n == 0 ? 0 : (double) hashes / n;
        double ellipsisRatio = n == 0 ? 0 : (double) ellipses / n;
        double bulletRatio = lines == 0 ? 0 : (double) bulletLines / lines;
        double ellipsisLineRatio = lines == 0 ? 0 : (double) ellipsisLines / lines;
        double alphaRatio = n == 0 ? 0 : (double) alpha / n;
        double stops = t.get("stop_words_distinct") != 0 ? Integer.bitCount(stopMask) : stopOccurrences;
        out[o] = nonSymbol;
        out[o + 1] = meanLen;
        out[o + 2] = hashRatio;
        out[o + 3] = ellipsisRatio;
        out[o + 4] = bulletRatio;
        out[o + 5] = ellipsisLineRatio;
        out[o + 6] = alphaRatio;
        out[o + 7] = stops;

        if (nonSymbol < t.get("min_words")) {
            return Outcome.drop(text, "gopher_min_words", nonSymbol, t.get("min_words"));
        }
        if (nonSymbol > t.get("max_words")) {
            return Outcome.drop(text, "gopher_max_words", nonSymbol, t.get("max_words"));
        }
        if (meanLen < t.get("min_mean_word_length")) {
            return Outcome.drop(text, "gopher_min_mean_word_length", meanLen, t.get("min_mean_word_length"));
        }
        if (meanLen > t.get("max_mean_word_length")) {
            return Outcome.drop(text, "gopher_max_mean_word_length", meanLen, t.get("max_mean_word_length"));
        }
        if (hashRatio > t.get("max_hash_ratio")) {
            return Outcome.drop(text, "gopher_hash_ratio", hashRatio, t.get("max_hash_ratio"));
        }
        if (ellipsisRatio > t.get("max_ellipsis_ratio")) {
            return Outcome.drop(text, "gopher_ellipsis_ratio", ellipsisRatio, t.get("max_ellipsis_ratio"));
        }
        if (bulletRatio > t.get("max_bullet_lines_ratio")) {
            return Outcome.drop(text, "gopher_bullet_lines_ratio", bulletRatio, t.get("max_bullet_lines_ratio"));
        }
        if (ellipsisLineRatio > t.get("max_ellipsis_lines_ratio")) {
            return Outcome.drop(text, "gopher_ellipsis_lines_ratio", ellipsisLineRatio, t.get("max_ellipsis_lines_ratio"));
        }
        if (alphaRatio < t.get("min_alpha_words_ratio")) {
            return Outcome.drop(text, "gopher_alpha_words_ratio", alphaRatio, t.get("min_alpha_words_ratio"));
        }
        if (stops < t.get("min_stop_words")) {
            return Outcome.drop(text, "gopher_stop_words", stops, t.get("min_stop_words"));
        }
        return Outcome.keep(text);
    }
}
