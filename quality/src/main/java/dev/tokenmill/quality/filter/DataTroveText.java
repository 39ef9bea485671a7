package dev.tokenmill.quality.filter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * DataTrove's character sets ({@code src/datatrove/utils/text.py}) and the Python {@code str} operations its filters
 * use, on code points as Python counts them.
 *
 * <ul>
 *   <li>{@code PUNCTUATION}: ASCII and CJK punctuation listed in the source, plus the control characters
 *       U+0000–U+0008, U+000B–U+001F and U+007F–U+009F (not tab or newline); {@code PUNCTUATION_SET} adds
 *       {@code TERMINAL_PUNCTUATION}. Gopher's "non-symbol word" is a token with a character outside this set.</li>
 *   <li>{@code TERMINAL_PUNCTUATION}: 159 sentence-ending marks of many scripts (resource
 *       {@code datatrove-terminal-punctuation.txt}); FineWeb's default line-ending set. It has no quotes,
 *       no {@code …} and no {@code »}.</li>
 * </ul>
 */
public final class DataTroveText {
    /** The listed characters of DataTrove's {@code PUNCTUATION} string (the control ranges are added in code). */
    private static final String PUNCTUATION_CHARS =
            "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»";

    private static final BitSet TERMINAL = loadTerminal();
    private static final BitSet PUNCTUATION_SET = punctuationSet();

    private DataTroveText() {}

    private static BitSet loadTerminal() {
        BitSet set = new BitSet();
        try (var in = DataTroveText.class.getResourceAsStream("datatrove-terminal-punctuation.txt");
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    set.set(Integer.parseInt(line.substring(0, line.indexOf(' ')), 16));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return set;
    }

    private static BitSet punctuationSet() {
        BitSet set = new BitSet();
        PUNCTUATION_CHARS.codePoints().forEach(set::set);
        set.set(0, 9);
        set.set(11, 32);
        set.set(127, 160);
        set.or(TERMINAL);
        return set;
    }

    /** In {@code TERMINAL_PUNCTUATION}. */
    public static boolean isTerminal(int codePoint) {
        return TERMINAL.get(codePoint);
    }

    /** In {@code PUNCTUATION_SET} ({@code PUNCTUATION} and {@code TERMINAL_PUNCTUATION}). */
    public static boolean isPunctuation(int codePoint) {
        return PUNCTUATION_SET.get(codePoint);
    }

    /** Python's {@code str.count(sub)}: non-overlapping occurrences, left to right. */
    public static int count(String text, String sub) {
        int count = 0;
        for (int i = text.indexOf(sub); i >= 0; i = text.indexOf(sub, i + sub.length())) {
            count++;
        }
        return count;
    }

    /** A line break for Python's {@code str.splitlines()}: \n \r \v \f \x1c \x1d \x1e \x85 U+2028 U+2029. */
    public static boolean isLineBreak(char c) {
        return c <= 0x1e ? (c >= '\n' && c <= '\r') || c >= 0x1c : c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    /** Receives each line of {@link #splitLines} as {@code text[from, to)}. */
    public interface LineSink {
        void line(int from, int to);
    }

    /**
     * Python's {@code str.splitlines()}: lines end at any {@link #isLineBreak} ({@code \r\n} is one break); no empty
     * line after a final break, none at all for empty text. Returns the number of lines.
     */
    public static int splitLines(String text, LineSink sink) {
        int n = text.length();
        int lines = 0;
        int start = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (!isLineBreak(c)) {
                i++;
                continue;
            }
            sink.line(start, i);
            lines++;
            i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
            start = i;
        }
        if (start < n) {
            sink.line(start, n);
            lines++;
        }
        return lines;
    }

    /** Code points in {@code text[from, to)}: Python's {@code len} of that slice. */
    public static int length(String text, int from, int to) {
        return Character.codePointCount(text, from, to);
    }
}
