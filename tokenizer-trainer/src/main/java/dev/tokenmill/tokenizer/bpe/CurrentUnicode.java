package dev.tokenmill.tokenizer.bpe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Makes a regex's {@code \p{L}} and {@code \p{N}} mean what they mean in Unicode 16, as in HF tokenizers (whose
 * Oniguruma classifies every letter of Unicode 16 as a letter: tested over all assigned code points). Java 17's
 * {@code java.util.regex} uses Unicode 13 tables, where the 9,787 letters and 130 numbers assigned since are
 * unassigned: {@code "x\u0870y"} would be three GPT-2 pre-tokens instead of one.
 *
 * <p>The additions (resource {@code unicode-16-additions.txt}, generated from ICU4J and checked against it by
 * {@code CurrentUnicodeTest}) are all unassigned ({@code Cn}) in Java's tables, so {@code \p{L}} becomes
 * {@code [\p{L}[\p{Cn}&&[additions]]]}: an assigned character is decided by Java's own fast test and never walks the
 * list of ranges.
 */
final class CurrentUnicode {
    private static final String LETTERS;
    private static final String NUMBERS;

    static {
        StringBuilder l = new StringBuilder();
        StringBuilder n = new StringBuilder();
        try (var in = CurrentUnicode.class.getResourceAsStream("unicode-16-additions.txt");
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                StringBuilder target = f[0].equals("L") ? l : n;
                target.append("\\x{").append(f[1]).append('}');
                if (!f[1].equals(f[2])) {
                    target.append("-\\x{").append(f[2]).append('}');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LETTERS = "\\p{L}[\\p{Cn}&&[" + l + "]]";
        NUMBERS = "\\p{N}[\\p{Cn}&&[" + n + "]]";
    }

    private CurrentUnicode() {}

    /**
     * {@code regex} with each {@code \p{L}} and {@code \p{N}} (also written {@code \pL}, {@code \pN}) widened to
     * Unicode 16; inside a character class the addition joins the class, outside it becomes a class of its own.
     */
    static String widen(String regex) {
        StringBuilder out = new StringBuilder(regex.length() * 2);
        int depth = 0; // nesting of character classes
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                int end = propertyEnd(regex, i);
                String name = end < 0 ? null : regex.substring(i, end);
                String widened = name == null
                        ? null
                        : name.equals("\\p{L}") || name.equals("\\pL")
                                ? LETTERS
                                : name.equals("\\p{N}") || name.equals("\\pN") ? NUMBERS : null;
                if (widened != null) {
                    out.append(depth > 0 ? widened : "[" + widened + "]");
                    i = end;
                } else {
                    out.append(c).append(regex.charAt(i + 1));
                    i += 2;
                }
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** The end of a {@code \p{…}} or {@code \pX} escape starting at {@code i}, or -1 for another escape. */
    private static int propertyEnd(String regex, int i) {
        if (regex.charAt(i + 1) != 'p' || i + 2 >= regex.length()) {
            return -1;
        }
        if (regex.charAt(i + 2) != '{') {
            return i + 3;
        }
        int close = regex.indexOf('}', i);
        return close < 0 ? -1 : close + 1;
    }
}
