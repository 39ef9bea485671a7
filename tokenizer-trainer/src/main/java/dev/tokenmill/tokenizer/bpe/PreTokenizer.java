package dev.tokenmill.tokenizer.bpe;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into pre-tokens with a regex, as HF tokenizers' ByteLevel (GPT-2) or Split (Llama-3) pre-tokenizers
 * do. Compiled with {@link Pattern#UNICODE_CHARACTER_CLASS} so {@code \s} matches non-ASCII whitespace (U+00A0,
 * U+3000) the way Oniguruma does in the Rust library, and with {@code \p{L}} and {@code \p{N}} widened to Unicode 16
 * ({@link CurrentUnicode}), the version HF's Oniguruma classifies by: Java 17's own tables are Unicode 13. The regex
 * as given is what {@link #regex()} returns and {@code tokenizer.json} records. Thread-safe.
 */
public final class PreTokenizer {
    public static final String GPT2 =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    public static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private final String name;
    private final String regex;
    private final Pattern pattern;

    private PreTokenizer(String name, String regex) {
        this.name = name;
        this.regex = regex;
        this.pattern = Pattern.compile(CurrentUnicode.widen(regex), Pattern.UNICODE_CHARACTER_CLASS);
    }

    /** {@code gpt2}, {@code llama3}, or any other string taken as a custom regex. */
    public static PreTokenizer of(String nameOrRegex) {
        return switch (nameOrRegex) {
            case "gpt2" -> new PreTokenizer("gpt2", GPT2);
            case "llama3" -> new PreTokenizer("llama3", LLAMA3);
            default -> new PreTokenizer("custom", nameOrRegex);
        };
    }

    public String name() {
        return name;
    }

    public String regex() {
        return regex;
    }

    /**
     * Each pre-token of {@code text}. Text between matches (a regex that does not cover everything) is passed on as
     * its own pre-token, so no byte is ever dropped.
     */
    public void split(String text, Consumer<String> out) {
        Matcher m = pattern.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.accept(text.substring(last, m.start()));
            }
            if (m.end() > m.start()) {
                out.accept(m.group());
            }
            last = m.end();
        }
        if (last < text.length()) {
            out.accept(text.substring(last));
        }
    }

    public List<String> split(String text) {
        List<String> out = new java.util.ArrayList<>();
        split(text, out::add);
        return out;
    }
}
