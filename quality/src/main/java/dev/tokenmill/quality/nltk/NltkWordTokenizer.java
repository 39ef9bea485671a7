package dev.tokenmill.quality.nltk;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NLTK's {@code NLTKWordTokenizer} (nltk/tokenize/destructive.py, the tokenizer {@code word_tokenize} applies to each
 * Punkt sentence): the improved Penn Treebank rules as an ordered cascade of regular-expression rewrites, then a
 * whitespace split. It is "destructive": {@code "} becomes {@code ``} or {@code ''}, so tokens are not always
 * substrings of the input, and DataTrove's word-length and n-gram rules see these rewritten tokens.
 *
 * <p>The rules are NLTK's, rewritten for Java's regex engine with Python 3's {@code str} semantics: {@code \s},
 * {@code \w}, {@code \d} and {@code \b} as Python defines them ({@link PyChars}), {@code $} matching before a final
 * newline only (UNIX_LINES), Unicode case folding where NLTK says {@code (?i)}. Verified token for token against
 * Debian's {@code python3-nltk} ({@code NltkWordTokenizerReferenceTest}). {@code convert_parentheses} (off in
 * {@code word_tokenize}) is not offered.
 */
public final class NltkWordTokenizer {
    /** Python's {@code \w}, case-sensitive inside {@code (?i)} rules (Java would case-fold the class's ranges). */
    private static final String W = "(?-iu:" + PyChars.WORD_CLASS + ")";

    private static final String S = PyChars.SPACE_CLASS;
    private static final String D = "\\p{Nd}";
    /** Python's {@code \b}: between a word and a non-word character (or the text's edge). */
    private static final String B = "(?:(?<=" + W + ")(?!" + W + ")|(?<!" + W + ")(?=" + W + "))";

    /**
     * One rewrite: every match of the pattern replaced (Java replacement syntax, {@code $1} for Python's {@code \1}).
     * {@code required}: characters of which every match contains at least one (for a case-insensitive rule, a letter
     * is given in both cases: no other character folds to c, g, l or w); a text without any of them cannot match and
     * skips the regex.
     */
    private record Rule(Pattern pattern, String replacement, String required) {
        String apply(String text) {
            if (!required.isEmpty() && !containsAny(text, required)) {
                return text;
            }
            Matcher m = pattern.matcher(text);
            return m.find() ? m.replaceAll(replacement) : text;
        }
    }

    private static boolean containsAny(String text, String chars) {
        for (int i = 0; i < chars.length(); i++) {
            if (text.indexOf(chars.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static Rule rule(String regex, String replacement, String required) {
        return new Rule(Pattern.compile(regex, Pattern.UNIX_LINES), replacement, required);
    }

    private static Rule ignoreCase(String regex, String replacement, String required) {
        return new Rule(
                Pattern.compile(regex, Pattern.UNIX_LINES | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
                replacement,
                required);
    }

    private static final List<Rule> STARTING_QUOTES = List.of(
            rule("([«“‘„]|[`]+)", " $1 ", "«“‘„`"),
            rule("^\"", "``", "\""),
            rule("(``)", " $1 ", "`"),
            rule("([ (\\[{<])(\"|'{2})", "$1 `` ", "\"'"),
            ignoreCase("(')(?!re|ve|ll|m|t|s|d|n)(" + W + ")" + B, "$1 $2", "'"));

    private static final List<Rule> PUNCTUATION = List.of(
            rule("([^.])(\\.)([\\])}>\"'»”’ ]*)" + S + "*$", "$1 $2 $3 ", "."),
            rule("([:,])([^" + D + "])", " $1 $2", ":,"),
            rule("([:,])$", " $1 ", ":,"),
            rule("\\.{2,}", " $0 ", "."),
            rule("[;@#$%&]", " $0 ", ";@#$%&"),
            rule("([^.])(\\.)([\\])}>\"']*)" + S + "*$", "$1 $2$3 ", "."), // the final period
            rule("[?!]", " $0 ", "?!"),
            rule("([^'])' ", "$1 ' ", "'"),
            rule("[*]", " $0 ", "*"));

    private static final Rule PARENS_BRACKETS = rule("[\\]\\[(){}<>]", " $0 ", "[](){}<>");
    private static final Rule DOUBLE_DASHES = rule("--", " -- ", "-");

    private static final List<Rule> ENDING_QUOTES = List.of(
            rule("([»”’])", " $1 ", "»”’"),
            rule("''", " '' ", "'"),
            rule("\"", " '' ", "\""),
            rule("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 ", "'"),
            rule("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 ", "'"));

    /**
     * MacIntyre's contractions (CONTRACTIONS2 and 3; NLTK compiles but does not apply CONTRACTIONS4). Each rule that
     * starts with a word boundary first looks ahead for its first word (the same case-insensitive test the rule
     * makes at that position anyway): the lookbehind of the boundary then runs only where the word is, which took
     * these eight rules from 57 % of the cascade's time to about 20 % (Europarl sentences, one thread).
     */
    private static final List<Rule> CONTRACTIONS = List.of(
            contraction("can", "not", B, "cC"),
            contraction("d", "'ye", B, "'"),
            contraction("gim", "me", B, "gG"),
            contraction("gon", "na", B, "gG"),
            contraction("got", "ta", B, "gG"),
            contraction("lem", "me", B, "lL"),
            contraction("more", "'n", B, "'"),
            contraction("wan", "na", "(?=" + S + ")", "wW"),
            ignoreCase(" ('t)(is)" + B, " $1 $2 ", "'"),
            ignoreCase(" ('t)(was)" + B, " $1 $2 ", "'"));

    private static Rule contraction(String first, String second, String after, String required) {
        return ignoreCase("(?=" + first + ")" + B + "(" + first + ")(" + second + ")" + after, " $1 $2 ", required);
    }

    private NltkWordTokenizer() {}

    /**
     * NLTK's {@code word_tokenize(text)} for English, which DataTrove's English word tokenizer calls: the text split
     * into sentences by Punkt ({@link PunktSentenceTokenizer#english()}: tokenmill's shipped parameters, not NLTK's
     * WSJ-trained model, see docs), each sentence tokenized by {@link #tokenize}.
     */
    public static List<String> wordTokenize(String text) {
        List<String> out = new java.util.ArrayList<>();
        for (String sentence : PunktSentenceTokenizer.english().sentences(text)) {
            out.addAll(tokenize(sentence));
        }
        return out;
    }

    /** The tokens of one sentence, as {@code NLTKWordTokenizer().tokenize(text)} returns them. */
    public static List<String> tokenize(String text) {
        for (Rule r : STARTING_QUOTES) {
            text = r.apply(text);
        }
        for (Rule r : PUNCTUATION) {
            text = r.apply(text);
        }
        text = PARENS_BRACKETS.apply(text);
        text = DOUBLE_DASHES.apply(text);
        text = " " + text + " ";
        for (Rule r : ENDING_QUOTES) {
            text = r.apply(text);
        }
        for (Rule r : CONTRACTIONS) {
            text = r.apply(text);
        }
        return PyChars.split(text);
    }
}
