package dev.tokenmill.quality.clean;

import dev.tokenmill.quality.TextNormalizer;
import dev.tokenmill.quality.TextScratch;
import java.util.Locale;

/**
 * The {@code clean} kernel: Unicode normalisation, mojibake repair, zero-width characters, Project Gutenberg
 * header/footer, and C4-style boilerplate lines, then the same whitespace/line-ending/control-character
 * normalisation as {@link TextNormalizer}. Every change is counted by rule in {@link Report}.
 * Not thread-safe only in its report: use one report per document.
 */
public final class TextCleaner {

    /** Which rules run. */
    public record Options(
            TextNormalizer.Form form,
            boolean fixMojibake,
            boolean removeZeroWidth,
            boolean gutenberg,
            boolean dropJavascriptLines,
            boolean dropPolicyLines,
            boolean dropLoremIpsumLines,
            boolean requireTerminalPunctuation)
            implements java.io.Serializable {
        public static Options defaults() {
            return new Options(TextNormalizer.Form.NFC, true, true, true, true, true, true, false);
        }
    }

    /** Per-document counts, by rule. */
    public static final class Report {
        public int mojibakeRuns;
        public int zeroWidthRemoved;
        public boolean gutenbergStripped;
        public int javascriptLines;
        public int policyLines;
        public int loremIpsumLines;
        public int noTerminalPunctuationLines;
        public final TextNormalizer.Report normalizer = new TextNormalizer.Report();
    }

    private final Options options;
    private final TextNormalizer normalizer;

    public TextCleaner(Options options) {
        this.options = options;
        this.normalizer = new TextNormalizer(options.form(), true, 1, true);
    }

    /**
     * Per BMP char: {@link #MOJIBAKE_CHAR} when it has a cp1252/Latin-1 byte (repair looks at runs of two or more
     * such chars), {@link #ZERO_WIDTH} for the characters {@link #removeZeroWidth} drops. One scan with this table
     * tells whether either rule can change the text (most texts: neither).
     */
    private static final byte[] MARKS = new byte[65536];

    private static final int MOJIBAKE_CHAR = 1;
    private static final int ZERO_WIDTH = 2;

    static {
        for (int c = 0; c < 65536; c++) {
            MARKS[c] = (byte)
                    ((Mojibake.byteOf((char) c) >= 0 ? MOJIBAKE_CHAR : 0) | (isZeroWidth((char) c) ? ZERO_WIDTH : 0));
        }
    }

    public String clean(String text, Report report) {
        String s = text;
        if (options.fixMojibake() || options.removeZeroWidth()) {
            char[] a = TextScratch.copy(s);
            int marks = 0;
            int runs = 0; // MOJIBAKE_CHAR set when two such chars are adjacent
            int previous = 0;
            for (int i = 0, n = s.length(); i < n; i++) {
                int m = MARKS[a[i]];
                runs |= previous & m;
                previous = m;
                marks |= m;
            }
            if (options.fixMojibake() && (runs & MOJIBAKE_CHAR) != 0) {
                int[] repaired = new int[1];
                s = Mojibake.repair(s, repaired);
                report.mojibakeRuns = repaired[0];
            }
            if (options.removeZeroWidth() && (marks & ZERO_WIDTH) != 0) {
                s = removeZeroWidth(s, report);
            }
        }
        s = normalizer.normalize(s, report.normalizer);
        if (options.gutenberg()) {
            s = stripGutenberg(s, report);
        }
        if (options.dropJavascriptLines()
                || options.dropPolicyLines()
                || options.dropLoremIpsumLines()
                || options.requireTerminalPunctuation()) {
            s = dropLines(s, report);
        }
        return s;
    }

    /**
     * Zero-width space, BOM / zero-width no-break space, word joiner and soft hyphen go; ZWJ and ZWNJ stay (they
     * shape emoji sequences and Indic and Persian script).
     */
    private static String removeZeroWidth(String s, Report report) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isZeroWidth(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
                report.zeroWidthRemoved++;
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean isZeroWidth(char c) {
        return c == '\u200B' || c == '\uFEFF' || c == '\u2060' || c == '\u00AD';
    }

    /** Keeps the lines strictly between "*** START OF" and "*** END OF" (either marker may be missing). */
    private static String stripGutenberg(String s, Report report) {
        int start = s.indexOf("*** START OF");
        int end = s.indexOf("*** END OF");
        if (start < 0 && end < 0) {
            return s;
        }
        int from = 0;
        if (start >= 0) {
            int nl = s.indexOf('\n', start);
            from = nl < 0 ? s.length() : nl + 1;
        }
        int to = s.length();
        if (end >= from) {
            int lineStart = s.lastIndexOf('\n', end);
            to = lineStart < from ? from : lineStart;
        }
        report.gutenbergStripped = true;
        return s.substring(from, Math.max(from, to)).strip();
    }

    private String dropLines(String s, Report report) {
        if (!options.requireTerminalPunctuation()
                && (enabledPhrases() & BoilerplatePhrases.in(TextScratch.copy(s), 0, s.length())) == 0) {
            return s; // no line can match: one case-folding scan of the whole text instead of one per line
        }
        StringBuilder out = new StringBuilder(s.length());
        boolean changed = false;
        for (String line : s.split("\n", -1)) {
            int phrases = BoilerplatePhrases.in(line.toLowerCase(Locale.ROOT));
            if (options.dropJavascriptLines() && (phrases & BoilerplatePhrases.JAVASCRIPT) != 0) {
                report.javascriptLines++;
                changed = true;
                continue;
            }
            if (options.dropPolicyLines() && (phrases & BoilerplatePhrases.POLICY) != 0) {
                report.policyLines++;
                changed = true;
                continue;
            }
            if (options.dropLoremIpsumLines() && (phrases & BoilerplatePhrases.LOREM_IPSUM) != 0) {
                report.loremIpsumLines++;
                changed = true;
                continue;
            }
            if (options.requireTerminalPunctuation() && !line.isBlank() && !endsWithTerminal(line)) {
                report.noTerminalPunctuationLines++;
                changed = true;
                continue;
            }
            out.append(line).append('\n');
        }
        if (!changed) {
            return s;
        }
        return normalizer.normalize(out.toString(), new TextNormalizer.Report());
    }

    /** The phrase bits of the enabled line rules. */
    private int enabledPhrases() {
        return (options.dropJavascriptLines() ? BoilerplatePhrases.JAVASCRIPT : 0)
                | (options.dropPolicyLines() ? BoilerplatePhrases.POLICY : 0)
                | (options.dropLoremIpsumLines() ? BoilerplatePhrases.LOREM_IPSUM : 0);
    }

    private static boolean endsWithTerminal(String line) {
        String t = line.stripTrailing();
        char c = t.charAt(t.length() - 1);
        return ".!?\"'”’»…。！？".indexOf(c) >= 0;
    }
}
