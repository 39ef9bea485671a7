package dev.tokenmill.quality.nltk;

/**
 * Python 3's character classes for {@code str}, which NLTK's and DataTrove's regular expressions and
 * {@code str.split()} use, as Java sees them: Java's own {@code \s}, {@code \w}, {@code \d} and {@code \b} are ASCII
 * or differ at marks and connector punctuation. Properties come from Java 17's Unicode 13 tables (Python 3.11 has
 * Unicode 14: the few code points assigned in between are not letters here).
 */
public final class PyChars {
    /**
     * Python's {@code \w} for {@code str} as a Java regex class: letters (Lu/Ll/Lt/Lm/Lo), numbers (Nd/Nl/No: every
     * character Python calls numeric is in one of these) and the underscore, not combining marks. The literal U+10000
     * (a letter, so it changes nothing) makes a pattern that contains this class supplementary-aware: without a
     * supplementary character in its text, {@code java.util.regex} compiles lookbehinds that step back one
     * {@code char}, and a letter outside the BMP before the current position reads as a lone surrogate.
     */
    public static final String WORD_CLASS = "[\\p{L}\\p{N}_\uD800\uDC00]";
    /** {@link #isSpace} as a Java regex class. */
    public static final String SPACE_CLASS =
            "[\\t\\n\\x0b\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";

    private PyChars() {}

    /** {@code str.isspace()}: bidirectional class WS, B or S, or category Zs (what {@code \s} and {@code split()} use). */
    public static boolean isSpace(int c) {
        if (c < 128) {
            return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
        }
        return c == 0x85
                || c == 0xa0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202f
                || c == 0x205f
                || c == 0x3000;
    }

    /** {@code str.strip()}: without leading and trailing {@link #isSpace} characters. */
    public static String strip(String s) {
        return rstrip(s.substring(leadingSpace(s)));
    }

    /** {@code str.rstrip()}: without trailing {@link #isSpace} characters. */
    public static String rstrip(String s) {
        int end = s.length();
        while (end > 0) {
            int c = Character.codePointBefore(s, end);
            if (!isSpace(c)) {
                break;
            }
            end -= Character.charCount(c);
        }
        return s.substring(0, end);
    }

    private static int leadingSpace(String s) {
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            if (!isSpace(c)) {
                break;
            }
            i += Character.charCount(c);
        }
        return i;
    }

    /** Splits on runs of {@link #isSpace} characters, dropping empty strings: Python's {@code str.split()}. */
    public static java.util.List<String> split(CharSequence s) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            int c = Character.codePointAt(s, i);
            if (isSpace(c)) {
                i += Character.charCount(c);
                continue;
            }
            int start = i;
            while (i < n) {
                c = Character.codePointAt(s, i);
                if (isSpace(c)) {
                    break;
                }
                i += Character.charCount(c);
            }
            out.add(s.subSequence(start, i).toString());
        }
        return out;
    }
}
