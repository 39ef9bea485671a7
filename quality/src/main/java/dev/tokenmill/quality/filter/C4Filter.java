package dev.tokenmill.quality.filter;

import dev.tokenmill.quality.clean.BoilerplatePhrases;
import dev.tokenmill.quality.nltk.PunktSentenceTokenizer;
import dev.tokenmill.quality.nltk.PyChars;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * C4's page cleaning (Raffel et al. 2020), following the reference TFDS code ({@code c4_utils.clean_page} and the
 * bad-words filter). Lines are stripped, citation marks removed, then a line is kept only when it ends in
 * {@code . ? ! "} (not {@code ...}), has at least {@code min_words_per_line} words, no word longer than
 * {@code max_word_length}, and mentions neither "javascript" nor a cookie/terms policy phrase. On a line that
 * passed the punctuation and length checks, "lorem ipsum" or a curly brace drops the whole page (TFDS checks
 * them there, in that order). A page with fewer than {@code min_sentences} sentences in its kept lines, or with a
 * bad word (whole word, lower-cased), is dropped. The kept lines, joined by newlines, become the text.
 *
 * <p>Presets: {@code c4} uses TFDS's values (5 words per line, 3 sentences, end marks {@code . ? ! "});
 * {@code c4_datatrove} uses DataTrove's {@code C4QualityFilter} (3 words per line, 5 sentences, end marks
 * {@code . ? ! " '}, and it counts a line's words before removing citation marks, where TFDS counts after).
 * Sentences are Punkt sentences ({@link PunktSentenceTokenizer}, tokenmill's English parameters: see
 * README, "The filter stage", for how they differ from NLTK's pickled model), counted per kept line as both sources do. Lines
 * are Python's {@code str.splitlines()}, whitespace and word lengths are Python's ({@code strip}, {@code split},
 * code points).
 */
public final class C4Filter implements TextFilter {
    public static final String NAME = "c4";
    public static final String DATATROVE = "c4_datatrove";
    private static final Pattern CITATION = Pattern.compile("\\[\\d*\\]|\\[edit\\]|\\[citation needed\\]");

    public static Map<String, Double> defaults(String preset) {
        Map<String, Double> d = new LinkedHashMap<>();
        boolean datatrove = DATATROVE.equals(preset);
        d.put("min_words_per_line", datatrove ? 3.0 : 5.0);
        d.put("min_sentences", datatrove ? 5.0 : 3.0);
        d.put("max_word_length", 1000.0);
        d.put("apostrophe_end_mark", datatrove ? 1.0 : 0.0);
        d.put("count_words_before_citations", datatrove ? 1.0 : 0.0);
        return d;
    }

    private final String name;
    private final Thresholds t;
    private final BadWords badWords;
    private final PunktSentenceTokenizer punkt = PunktSentenceTokenizer.english();

    /** @param badWords lower-case words or phrases; empty disables the rule */
    public C4Filter(String preset, Map<String, ?> overrides, Set<String> badWords) {
        this.name = preset;
        this.t = new Thresholds(preset, defaults(preset), overrides);
        this.badWords = badWords.isEmpty() ? null : new BadWords(badWords);
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
        return List.of(name + "_lines_kept", name + "_lines_dropped", name + "_sentences");
    }

    private static final int DROPPED = 1;
    private static final int KEPT = 2;
    private static final int PAGE_LOREM_IPSUM = 3;
    private static final int PAGE_CURLY_BRACKET = 4;

    @Override
    public Outcome evaluate(String text, double[] out, int o) {
        int minWords = (int) t.get("min_words_per_line");
        boolean apostrophe = t.get("apostrophe_end_mark") != 0;
        boolean wordsBeforeCitations = t.get("count_words_before_citations") != 0;
        double maxWordLength = t.get("max_word_length");
        // the kept text is built only once it differs from a stretch of the input: while kept lines follow one
        // another unchanged, separated by single '\n's, the result is a substring of the text (often all of it)
        char[] kept =
                null; // this filter's buffer once in use (a StringBuilder re-copies itself on the first non-Latin-1
        // char)
        int keptLength = 0;
        int keptFrom = 0;
        int keptTo = 0;
        int keptLines = 0;
        int dropped = 0;
        int sentences = 0;
        char[] a = DocWords.charsOf(text);
        int n = text.length();
        boolean onlyLineFeeds = onlyLineFeeds(text); // then lines are found by a vectorised search
        boolean brackets = text.indexOf('[') >= 0; // a line can hold a citation mark only if the page has a '['
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n && start == n) {
                break; // splitlines(): no empty line after a final break, and none in an empty text
            }
            if (onlyLineFeeds) {
                i = text.indexOf('\n', i);
                if (i < 0) {
                    i = n;
                }
            } else {
                while (i < n && !isLineBreak(a[i])) {
                    i++;
                }
            }
            char c = i < n ? a[i] : '\n';
            int from = start;
            int to = i;
            if (c == '\r' && i + 1 < n && a[i + 1] == '\n') {
                i++; // \r\n is one break, as \R matches it
            }
            start = i + 1;
            while (from < to && PyChars.isSpace(a[from])) {
                from++;
            }
            while (to > from && PyChars.isSpace(a[to - 1])) {
                to--;
            }
            if (from == to || hasLongWord(a, from, to, maxWordLength)) {
                dropped++; // an empty line has no end mark: TFDS and DataTrove drop it like any other line
                continue;
            }
            int wordsBefore = wordsBeforeCitations ? wordCount(a, from, to) : -1;
            char[] lineChars = a;
            if (brackets && indexOf(a, from, to, '[') >= 0) {
                lineChars = CITATION.matcher(new String(a, from, to - from))
                        .replaceAll("")
                        .toCharArray();
                from = 0;
                to = lineChars.length;
            }
            int verdict = judge(lineChars, from, to, minWords, apostrophe, wordsBefore);
            if (verdict == DROPPED) {
                dropped++;
            } else if (verdict == PAGE_LOREM_IPSUM) {
                return drop(out, o, keptLines, dropped, sentences, text, "c4_lorem_ipsum", 1, 0);
            } else if (verdict == PAGE_CURLY_BRACKET) {
                return drop(out, o, keptLines, dropped, sentences, text, "c4_curly_bracket", 1, 0);
            } else if (verdict == KEPT) {
                sentences += punkt.spans(new String(lineChars, from, to - from)).size();
                if (kept == null && lineChars == a && (keptLines == 0 || (from == keptTo + 1 && a[keptTo] == '\n'))) {
                    if (keptLines == 0) {
                        keptFrom = from;
                    }
                    keptTo = to;
                } else {
                    if (kept == null) {
                        kept = keptBuffer(n); // kept lines and their separators never outgrow the text
                        keptLength = keptTo - keptFrom;
                        System.arraycopy(a, keptFrom, kept, 0, keptLength);
                    }
                    if (keptLines > 0) {
                        kept[keptLength++] = '\n';
                    }
                    System.arraycopy(lineChars, from, kept, keptLength, to - from);
                    keptLength += to - from;
                }
                keptLines++;
            }
        }
        out[o] = keptLines;
        out[o + 1] = dropped;
        out[o + 2] = sentences;
        String cleaned = kept != null
                ? new String(kept, 0, keptLength).strip()
                : keptFrom == 0 && keptTo == n
                        ? text
                        : text.substring(keptFrom, keptTo); // stripped lines: strip() is a no-op
        if (sentences < t.get("min_sentences")) {
            return Outcome.drop(text, name + "_min_sentences", sentences, t.get("min_sentences"));
        }
        if (badWords != null) {
            if (badWords.find(cleaned.toLowerCase(Locale.ROOT)) != null) {
                return Outcome.drop(text, name + "_bad_words", 1, 0);
            }
        }
        return Outcome.keep(cleaned);
    }

    /**
     * One stripped line without a too-long word, citation marks removed, in TFDS's order of the remaining checks:
     * the end mark, the word count, "lorem ipsum" (drops the page), "javascript", a curly brace (drops the page),
     * a policy phrase.
     */
    private static int judge(char[] a, int from, int to, int minWords, boolean apostrophe, int wordsBefore) {
        if (from == to
                || !(endsWithMark(a[to - 1]) || (apostrophe && a[to - 1] == '\''))
                || (to - from >= 3 && a[to - 1] == '.' && a[to - 2] == '.' && a[to - 3] == '.')) {
            return DROPPED;
        }
        if ((wordsBefore >= 0 ? wordsBefore : wordCount(a, from, to)) < minWords) {
            return DROPPED;
        }
        int phrases = BoilerplatePhrases.in(a, from, to);
        if ((phrases & BoilerplatePhrases.LOREM_IPSUM) != 0) {
            return PAGE_LOREM_IPSUM;
        }
        if ((phrases & BoilerplatePhrases.JAVASCRIPT) != 0) {
            return DROPPED;
        }
        if (indexOf(a, from, to, '{') >= 0) {
            return PAGE_CURLY_BRACKET;
        }
        if ((phrases & BoilerplatePhrases.POLICY) != 0) {
            return DROPPED;
        }
        return KEPT;
    }

    private char[] buffer = new char[0];

    private char[] keptBuffer(int n) {
        if (buffer.length < n) {
            buffer = new char[Math.max(n, 2 * buffer.length)];
        }
        return buffer;
    }

    /** True when '\n' is the only line break in the text (after {@code clean}, usually). */
    private static boolean onlyLineFeeds(String text) {
        return text.indexOf('\r') < 0
                && text.indexOf('\u000B') < 0
                && text.indexOf('\u000C') < 0
                && text.indexOf('\u001C') < 0
                && text.indexOf('\u001D') < 0
                && text.indexOf('\u001E') < 0
                && text.indexOf('\u0085') < 0
                && text.indexOf('\u2028') < 0
                && text.indexOf('\u2029') < 0;
    }

    private static boolean isLineBreak(char c) {
        return DataTroveText.isLineBreak(c);
    }

    private static int indexOf(char[] a, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (a[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private Outcome drop(
            double[] out,
            int o,
            int kept,
            int dropped,
            int sentences,
            String text,
            String rule,
            double value,
            double threshold) {
        out[o] = kept;
        out[o + 1] = dropped;
        out[o + 2] = sentences;
        return Outcome.drop(text, rule.replace("c4_", name + "_"), value, threshold);
    }

    private static boolean endsWithMark(char c) {
        return c == '.' || c == '?' || c == '!' || c == '"';
    }

    private static boolean hasLongWord(char[] a, int from, int to, double max) {
        if (to - from <= max) {
            return false; // no word can be longer than its line
        }
        int run = 0; // code points of the current word
        for (int i = from; i < to; i++) {
            if (PyChars.isSpace(a[i])) {
                run = 0;
            } else if (!Character.isLowSurrogate(a[i]) || i == from || !Character.isHighSurrogate(a[i - 1])) {
                if (++run > max) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Python's len(line.split()). */
    private static int wordCount(char[] a, int from, int to) {
        int words = 0;
        boolean in = false;
        for (int i = from; i < to; i++) {
            boolean ws = PyChars.isSpace(a[i]);
            if (!ws && !in) {
                words++;
            }
            in = !ws;
        }
        return words;
    }
}
