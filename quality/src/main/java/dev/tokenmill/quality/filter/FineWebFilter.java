package dev.tokenmill.quality.filter;

import dev.tokenmill.quality.nltk.PyChars;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FineWeb's own quality rules (Penedo et al. 2024, "The FineWeb Datasets"), exactly as DataTrove's
 * {@code FineWebQualityFilter} (main branch, 2025) computes them over the lines of {@code text.split("\n")} that are
 * not blank ({@code strip()} with Python's whitespace), lengths in code points:
 * <ul>
 *   <li>lines ending in a character of DataTrove's {@code TERMINAL_PUNCTUATION} ({@link DataTroveText}) / lines
 *       &lt; 0.12 → drop. {@code quote_terminal: 1} (off by default) also counts {@code " ' ” ’ » …}: dialogue and
 *       quoted lines end in them, and FineWeb's first release (DataTrove 2024, {@code . ' " ! ?}) counted quotes;</li>
 *   <li>lines of at most 30 characters / lines &gt; 0.67 → drop;</li>
 *   <li>characters of duplicated lines / characters of the text without newlines &gt; limit → drop. The write-up
 *       states 0.1; DataTrove's code default is 0.01. The {@code fineweb} preset follows the write-up (0.1);
 *       {@code fineweb_datatrove} uses the code's 0.01;</li>
 *   <li>newlines / words &gt; 0.3 → drop (the "list" rule).</li>
 * </ul>
 */
public final class FineWebFilter implements TextFilter {
    public static final String NAME = "fineweb";
    public static final String DATATROVE = "fineweb_datatrove";
    private static final String QUOTE_TERMINAL = "\"'”’»…";

    public static Map<String, Double> defaults(String preset) {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("min_line_punct_ratio", 0.12);
        d.put("line_punct_exclude_zero", 0.0);
        d.put("max_short_line_ratio", 0.67);
        d.put("short_line_length", 30.0);
        d.put("max_char_dup_ratio", DATATROVE.equals(preset) ? 0.01 : 0.1);
        d.put("max_list_ratio", 0.3);
        d.put("quote_terminal", 0.0);
        return d;
    }

    private final String name;
    private final Thresholds t;
    private final LongCounter seen = new LongCounter();

    public FineWebFilter(String preset, Map<String, ?> overrides) {
        this.name = preset;
        this.t = new Thresholds(preset, defaults(preset), overrides);
    }

    @Override
    public Thresholds thresholds() {
        return t;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> signals() {
        return List.of(
                "fineweb_line_punct_ratio", "fineweb_short_line_ratio", "fineweb_char_dup_ratio", "fineweb_list_ratio");
    }

    @Override
    public Outcome evaluate(String text, double[] out, int o) {
        int shortLength = (int) t.get("short_line_length");
        int lines = 0;
        int punct = 0;
        int shortLines = 0;
        long dupChars = 0;
        int newlines = 0;
        seen.clear();
        boolean quotes = t.get("quote_terminal") != 0;
        char[] a = DocWords.charsOf(text);
        int start = 0;
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            if (i < n && a[i] != '\n') {
                continue;
            }
            if (i < n) {
                newlines++;
            }
            if (!isBlank(a, start, i)) {
                lines++;
                int last = Character.codePointBefore(a, i, start);
                if (DataTroveText.isTerminal(last) || (quotes && QUOTE_TERMINAL.indexOf(last) >= 0)) {
                    punct++;
                }
                int chars = i - start; // code points are fewer only with surrogate pairs: count them only then
                if (chars <= shortLength
                        || (chars <= 2 * shortLength && Character.codePointCount(a, start, chars) <= shortLength)) {
                    shortLines++;
                }
                if (!seen.add(Words.hash(a, start, i))) {
                    dupChars += Character.codePointCount(a, start, i - start);
                }
            }
            start = i + 1;
        }
        int nonNewline = Character.codePointCount(a, 0, n) - newlines;
        double punctRatio = lines == 0 ? 0 : (double) punct / lines;
        double shortRatio = lines == 0 ? 0 : (double) shortLines / lines;
        double dupRatio = nonNewline == 0 ? 0 : (double) dupChars / nonNewline;
        int wordCount = DocWords.of(text).count();
        double listRatio = wordCount == 0 ? 0 : (double) newlines / wordCount;
        out[o] = punctRatio;
        out[o + 1] = shortRatio;
        out[o + 2] = dupRatio;
        out[o + 3] = listRatio;
        if (lines == 0) {
            return Outcome.drop(text, "fineweb_empty", 0, 1);
        }
        boolean excludeZero = t.get("line_punct_exclude_zero") != 0;
        if (punctRatio < t.get("min_line_punct_ratio") && !(excludeZero && punct == 0)) {
            return Outcome.drop(text, "fineweb_line_punct_ratio", punctRatio, t.get("min_line_punct_ratio"));
        }
        if (shortRatio > t.get("max_short_line_ratio")) {
            return Outcome.drop(text, "fineweb_short_line_ratio", shortRatio, t.get("max_short_line_ratio"));
        }
        if (dupRatio > t.get("max_char_dup_ratio")) {
            return Outcome.drop(text, "fineweb_char_dup_ratio", dupRatio, t.get("max_char_dup_ratio"));
        }
        if (listRatio > t.get("max_list_ratio")) {
            return Outcome.drop(text, "fineweb_list_ratio", listRatio, t.get("max_list_ratio"));
        }
        return Outcome.keep(text);
    }

    private static boolean isBlank(char[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!PyChars.isSpace(a[i])) {
                return false;
            }
        }
        return true;
    }
}
