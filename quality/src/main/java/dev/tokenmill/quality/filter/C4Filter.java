package dev.tokenmill.quality.filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
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
 * <p>Presets: {@code c4} uses TFDS's values (5 words per line, 3 sentences); {@code c4_datatrove} uses
 * DataTrove's {@code C4QualityFilter} defaults (3 words per line, 5 sentences). Sentences are counted at
 * runs of {@code . ! ?} followed by a space or the line end (TFDS uses NLTK's punkt; close but not identical).
 */
public final class C4Filter implements TextFilter {
    public static final String NAME = "c4";
    public static final String DATATROVE = "c4_datatrove";
    private static final Pattern CITATION = Pattern.compile("\\[\\d*\\]|\\[edit\\]|\\[citation needed\\]");
    private static final String[] POLICY = {"terms of use", "privacy policy", "cookie policy", "uses cookies",
        "use of cookies", "use cookies"};

    public static Map<String, Double> defaults(String preset) {
        Map<String, Double> d = new LinkedHashMap<>();
        boolean datatrove = DATATROVE.equals(preset);
        d.put("min_words_per_line", datatrove ? 3.0 : 5.0);
        d.put("min_sentences", datatrove ? 5.0 : 3.0);
        d.put("max_word_length", 1000.0);
        return d;
    }

    private final String name;
    private final Thresholds t;
    private final BadWords badWords;

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

    @Override
    public Outcome evaluate(String text, double[] out, int o) {
        int minWords = (int) t.get("min_words_per_line");
        double maxWordLength = t.get("max_word_length");
        StringBuilder kept = new StringBuilder(text.length());
        int keptLines = 0;
        int dropped = 0;
        int sentences = 0;
        // the phrases looked for per line are ASCII: absent from the lower-cased page, absent from every line
        // (unless removing a citation mark joins one, so a page with '[' is checked line by line)
        String lowerPage = text.toLowerCase(Locale.ROOT);
        boolean phrases = text.indexOf('[') >= 0 || lowerPage.contains("lorem ipsum") || lowerPage.contains("javascript")
            || containsPolicy(lowerPage);
        for (String raw : lines(text)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (hasLongWord(line, maxWordLength)) {
                dropped++;
                continue;
            }
            if (line.indexOf('[') >= 0) {
                line = CITATION.matcher(line).replaceAll("");
            }
            if (line.isEmpty() || !endsWithMark(line) || line.endsWith("...")) {
                dropped++;
                continue;
            }
            if (wordCount(line) < minWords) {
                dropped++;
                continue;
            }
            String lower = phrases ? line.toLowerCase(Locale.ROOT) : "";
            if (lower.contains("lorem ipsum")) {
                return drop(out, o, keptLines, dropped, sentences, text, "c4_lorem_ipsum", 1, 0);
            }
            if (lower.contains("javascript")) {
                dropped++;
                continue;
            }
            if (line.indexOf('{') >= 0) {
                return drop(out, o, keptLines, dropped, sentences, text, "c4_curly_bracket", 1, 0);
            }
            if (containsPolicy(lower)) {
                dropped++;
                continue;
            }
            sentences += sentenceCount(line);
            if (keptLines > 0) {
                kept.append('\n');
            }
            kept.append(line);
            keptLines++;
        }
        out[o] = keptLines;
        out[o + 1] = dropped;
        out[o + 2] = sentences;
        String cleaned = kept.toString().strip();
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

    private Outcome drop(double[] out, int o, int kept, int dropped, int sentences, String text, String rule,
                         double value, double threshold) {
        out[o] = kept;
        out[o + 1] = dropped;
        out[o + 2] = sentences;
        return Outcome.drop(text, rule.replace("c4_", name + "_"), value, threshold);
    }

    /** The lines of {@code text} as {@code text.split("\\R", -1)} gives them, without a regex. */
    static java.util.List<String> lines(String text) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        int n = text.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u000B' || c == '\f' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return lines;
    }

    private static boolean endsWithMark(String line) {
        char c = line.charAt(line.length() - 1);
        return c == '.' || c == '?' || c == '!' || c == '"';
    }

    private static boolean hasLongWord(String line, double max) {
        if (line.length() <= max) {
            return false; // no word can be longer than its line
        }
        int run = 0;
        for (int i = 0; i < line.length(); i++) {
            if (Character.isWhitespace(line.charAt(i))) {
                run = 0;
            } else if (++run > max) {
                return true;
            }
        }
        return false;
    }

    /** Python's len(line.split()). */
    static int wordCount(String line) {
        int words = 0;
        boolean in = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean ws = c < 128 ? c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F) : Character.isWhitespace(c);
            if (!ws && !in) {
                words++;
            }
            in = !ws;
        }
        return words;
    }

    private static boolean containsPolicy(String lower) {
        for (String p : POLICY) {
            if (lower.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** Runs of . ! ? followed by whitespace or the end, each closing a sentence; at least 1 for a kept line. */
    static int sentenceCount(String line) {
        int count = 0;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == '.' || c == '!' || c == '?') {
                int j = i;
                while (j + 1 < n && (line.charAt(j + 1) == '.' || line.charAt(j + 1) == '!' || line.charAt(j + 1) == '?'
                    || line.charAt(j + 1) == '"' || line.charAt(j + 1) == '\'' || line.charAt(j + 1) == ')')) {
                    j++;
                }
                if (j + 1 == n || Character.isWhitespace(line.charAt(j + 1))) {
                    count++;
                }
                i = j;
            }
        }
        return Math.max(count, 1);
    }
}
