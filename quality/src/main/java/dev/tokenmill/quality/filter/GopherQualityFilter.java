package dev.tokenmill.quality.filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gopher quality rules (Rae et al. 2021, "Scaling Language Models", App. A.1.1, Table A1), computed exactly as
 * DataTrove's {@code GopherQualityFilter} computes them (main branch, 2025). A document is dropped by the first rule
 * it breaks:
 * <ol>
 *   <li>non-symbol words &lt; 50 or &gt; 100,000 (a word is a token of NLTK's {@code word_tokenize}, {@link DocWords};
 *       a symbol is a token made only of DataTrove's {@code PUNCTUATION_SET});</li>
 *   <li>mean length of non-symbol words (code points) &lt; 3 or &gt; 10;</li>
 *   <li>{@code text.count("#")} per word &gt; 0.1; {@code text.count("...") + text.count("…")} per word &gt; 0.1
 *       (per word: divided by all tokens);</li>
 *   <li>of {@code text.splitlines()}: lines whose {@code lstrip()} starts with {@code •} or {@code -} &gt; 90 %;
 *       lines whose {@code rstrip()} ends with {@code ...} or {@code …} &gt; 30 %;</li>
 *   <li>tokens with an alphabetic character &lt; 80 %;</li>
 *   <li>fewer than 2 distinct stop words of {the, be, to, of, and, that, have, with} among the tokens, matched
 *       exactly (case-sensitive), as the paper ("at least two of") and DataTrove since 2025 count them.</li>
 * </ol>
 * Opt-in departures, all off by default: {@code stop_words_distinct: 0} counts occurrences (DataTrove before 2025);
 * {@code stop_words_ignore_case: 1} matches "The" too (a sentence-initial "The" is the commonest English stop word,
 * and the paper does not say it is case-sensitive); {@code extra_bullets: 1} also counts lines starting with
 * {@code * ‣ ◦ ▪ ● –} (web pages use them as often as {@code •}).
 */
public final class GopherQualityFilter implements TextFilter {
    public static final String NAME = "gopher_quality";
    private static final String EXTRA_BULLETS = "*‣◦▪●–";

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
        d.put("stop_words_ignore_case", 0.0);
        d.put("extra_bullets", 0.0);
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
        return List.of(
                "gopher_words",
                "gopher_mean_word_length",
                "gopher_hash_ratio",
                "gopher_ellipsis_ratio",
                "gopher_bullet_lines_ratio",
                "gopher_ellipsis_lines_ratio",
                "gopher_alpha_words_ratio",
                "gopher_stop_words");
    }

    @Override
    public Outcome evaluate(String text, double[] out, int o) {
        DocWords words = DocWords.of(text);
        int n = words.count();
        boolean ignoreCase = t.get("stop_words_ignore_case") != 0;
        int nonSymbol = 0;
        long nonSymbolChars = 0;
        int alpha = 0;
        int stopMask = 0;
        int stopOccurrences = 0;
        for (int i = 0; i < n; i++) {
            if (!words.isSymbol(i)) {
                nonSymbol++;
                nonSymbolChars += words.length(i);
            }
            if (words.hasLetter(i)) {
                alpha++;
            }
            int s = words.stopWord(i, ignoreCase);
            if (s >= 0) {
                stopMask |= 1 << s;
                stopOccurrences++;
            }
        }
        int hashes = DataTroveText.count(text, "#");
        int ellipses = DataTroveText.count(text, "...") + DataTroveText.count(text, "…");
        String bullets = t.get("extra_bullets") != 0 ? "•-" + EXTRA_BULLETS : "•-";
        int[] lineCounts = new int[2]; // bullet lines, ellipsis lines
        int lines = DataTroveText.splitLines(text, (from, to) -> {
            while (from < to && dev.tokenmill.quality.nltk.PyChars.isSpace(text.charAt(from))) {
                from++;
            }
            while (to > from && dev.tokenmill.quality.nltk.PyChars.isSpace(text.charAt(to - 1))) {
                to--;
            }
            if (from < to && bullets.indexOf(text.charAt(from)) >= 0) {
                lineCounts[0]++;
            }
            if (to > from && (text.charAt(to - 1) == '…' || (to - from >= 3 && text.startsWith("...", to - 3)))) {
                lineCounts[1]++;
            }
        });
        int bulletLines = lineCounts[0];
        int ellipsisLines = lineCounts[1];
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
            return Outcome.drop(
                    text, "gopher_ellipsis_lines_ratio", ellipsisLineRatio, t.get("max_ellipsis_lines_ratio"));
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
