package dev.tokenmill.quality;

import java.text.Normalizer;

/**
 * Normalises a document's text in one pass: Unicode form, line endings, control characters, horizontal
 * whitespace and blank-line runs. Plain Java, no Spark; thread-safe (no mutable state).
 *
 * <p>Line breaks recognised: LF, CRLF, CR, NEL, VT, FF, U+2028, U+2029 — all become LF. Horizontal whitespace
 * (space, tab, NBSP and the other Unicode space separators) becomes one space when collapsing; spaces at line
 * starts and ends are dropped. Leading and trailing blank lines of the document are removed.
 */
public final class TextNormalizer {

    /** Which Unicode normal form to apply first. */
    public enum Form {
        NFC,
        NFKC,
        NONE
    }

    /** Per-document report of what changed; callers aggregate these into stage counters. */
    public static final class Report {
        public boolean unicodeChanged;
        public boolean lineEndingsChanged;
        public int controlCharsRemoved;
        public boolean changed;
    }

    private final Form form;
    private final boolean collapseWhitespace;
    private final int maxBlankLines;
    private final boolean stripControl;

    /**
     * @param maxBlankLines blank lines kept between paragraphs; negative keeps every blank line
     */
    public TextNormalizer(Form form, boolean collapseWhitespace, int maxBlankLines, boolean stripControl) {
        this.form = form;
        this.collapseWhitespace = collapseWhitespace;
        this.maxBlankLines = maxBlankLines;
        this.stripControl = stripControl;
    }

    /** The defaults: NFC, collapse whitespace, at most one blank line, strip control characters. */
    public static TextNormalizer defaults() {
        return new TextNormalizer(Form.NFC, true, 1, true);
    }

    public String normalize(String text) {
        return normalize(text, new Report());
    }

    /** Normalises {@code text} and fills {@code report}; an all-whitespace input gives "". */
    public String normalize(String text, Report report) {
        String s = text;
        if (form != Form.NONE) {
            Normalizer.Form nf = form == Form.NFC ? Normalizer.Form.NFC : Normalizer.Form.NFKC;
            if (!(form == Form.NFC && belowCombiningMarks(s)) && !Normalizer.isNormalized(s, nf)) {
                s = Normalizer.normalize(s, nf);
                report.unicodeChanged = true;
            }
        }
        int n = s.length();
        char[] in = TextScratch.copy(s);
        char[] out = TextScratch.output(n + 1); // the output is never longer than the input
        int o = 0;
        int pendingNewlines = 0; // line breaks seen since the last emitted character
        boolean pendingSpace = false; // horizontal whitespace seen since the last emitted character
        for (int i = 0; i < n; i++) {
            char c = in[i];
            if (c == '\n') {
                pendingNewlines++;
                pendingSpace = false;
            } else if (c == '\r') {
                report.lineEndingsChanged = true;
                if (i + 1 < n && in[i + 1] == '\n') {
                    i++;
                }
                pendingNewlines++;
                pendingSpace = false;
            } else if (c == '\u0085' || c == '\u000B' || c == '\u000C' || c == '\u2028' || c == '\u2029') {
                report.lineEndingsChanged = true;
                pendingNewlines++;
                pendingSpace = false;
            } else if (isHorizontalSpace(c)) {
                if (collapseWhitespace) {
                    pendingSpace = true;
                } else {
                    o = flushNewlines(out, o, pendingNewlines);
                    pendingNewlines = 0;
                    out[o++] = c;
                }
            } else if (stripControl && isControl(c)) {
                report.controlCharsRemoved++;
            } else {
                if (pendingNewlines > 0) {
                    o = flushNewlines(out, o, pendingNewlines);
                    pendingNewlines = 0;
                } else if (pendingSpace && o > 0 && out[o - 1] != '\n') {
                    out[o++] = ' ';
                }
                pendingSpace = false;
                // copy the run of printable ASCII (single spaces between such characters included) in one go:
                // the usual case, which the rules above leave as it is
                int j = i + 1;
                while (j < n) {
                    char d = in[j];
                    if (d > ' ' && d < 0x7F) {
                        j++;
                    } else if (d == ' ' && j + 1 < n && in[j + 1] > ' ' && in[j + 1] < 0x7F) {
                        j += 2;
                    } else {
                        break;
                    }
                }
                System.arraycopy(in, i, out, o, j - i);
                o += j - i;
                i = j - 1;
            }
        }
        if (!collapseWhitespace) {
            while (o > 0 && Character.isWhitespace(out[o - 1])) {
                o--;
            }
        }
        String result = new String(out, 0, o);
        report.changed = !result.equals(text);
        return result;
    }

    /**
     * True when every char is below U+0300, where every character is NFC on its own with combining class 0: such
     * a text is NFC, and this scan is far cheaper than the general quick check. (Not so for NFKC: Latin-1 has
     * compatibility characters such as NBSP and '½'.)
     */
    static boolean belowCombiningMarks(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= '\u0300') {
                return false;
            }
        }
        return true;
    }

    /** Appends the kept line breaks at {@code o}; returns the new length. */
    private int flushNewlines(char[] out, int o, int newlines) {
        if (newlines == 0 || o == 0) {
            return o; // leading blank lines are dropped
        }
        int keep = maxBlankLines < 0 ? newlines : Math.min(newlines, maxBlankLines + 1);
        for (int k = 0; k < keep; k++) {
            out[o++] = '\n';
        }
        return o;
    }

    static boolean isHorizontalSpace(char c) {
        return c == ' '
                || c == '\t'
                || c == '\u00A0'
                || c == '\u1680'
                || (c >= '\u2000' && c <= '\u200A')
                || c == '\u202F'
                || c == '\u205F'
                || c == '\u3000';
    }

    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }
}
