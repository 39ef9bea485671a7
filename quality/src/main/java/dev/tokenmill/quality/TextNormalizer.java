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
    public enum Form { NFC, NFKC, NONE }

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
        StringBuilder out = new StringBuilder(s.length());
        int pendingNewlines = 0;      // line breaks seen since the last emitted character
        boolean pendingSpace = false; // horizontal whitespace seen since the last emitted character
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                pendingNewlines++;
                pendingSpace = false;
            } else if (c == '\r') {
                report.lineEndingsChanged = true;
                if (i + 1 < n && s.charAt(i + 1) == '\n') {
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
                    flushNewlines(out, pendingNewlines);
                    pendingNewlines = 0;
                    out.append(c);
                }
            } else if (stripControl && isControl(c)) {
                report.controlCharsRemoved++;
            } else {
                if (pendingNewlines > 0) {
                    flushNewlines(out, pendingNewlines);
                    pendingNewlines = 0;
                } else if (pendingSpace && out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    out.append(' ');
                }
                pendingSpace = false;
                // copy the run of printable ASCII (single spaces between such characters included) in one append:
                // the usual case, which the rules above leave as it is
                int j = i + 1;
                while (j < n) {
                    char d = s.charAt(j);
                    if (d > ' ' && d < 0x7F) {
                        j++;
                    } else if (d == ' ' && j + 1 < n && s.charAt(j + 1) > ' ' && s.charAt(j + 1) < 0x7F) {
                        j += 2;
                    } else {
                        break;
                    }
                }
                out.append(s, i, j);
                i = j - 1;
            }
        }
        if (!collapseWhitespace) {
            trimTrailingWhitespace(out);
        }
        String result = out.toString();
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

    private void flushNewlines(StringBuilder out, int newlines) {
        if (newlines == 0 || out.length() == 0) {
            return; // leading blank lines are dropped
        }
        int keep = maxBlankLines < 0 ? newlines : Math.min(newlines, maxBlankLines + 1);
        for (int k = 0; k < keep; k++) {
            out.append('\n');
        }
    }

    private static void trimTrailingWhitespace(StringBuilder out) {
        int end = out.length();
        while (end > 0 && Character.isWhitespace(out.charAt(end - 1))) {
            end--;
        }
        out.setLength(end);
    }

    static boolean isHorizontalSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u00A0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200A')
            || c == '\u202F' || c == '\u205F' || c == '\u3000';
    }

    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }
}
