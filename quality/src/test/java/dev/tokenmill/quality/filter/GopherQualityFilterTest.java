package dev.tokenmill.quality.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tokenmill.quality.nltk.NltkWordSplitter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every Gopher quality rule at, just inside and just past its published threshold (values counted by hand). */
class GopherQualityFilterTest {
    private final double[] out = new double[8];

    private TextFilter.Outcome eval(String text) {
        return new GopherQualityFilter(Map.of()).evaluate(text, out, 0);
    }

    private static String rep(String word, int n) {
        return (word + " ").repeat(n);
    }

    @Test
    void publishedDefaults() {
        assertEquals(
                Map.ofEntries(
                        Map.entry("min_words", 50.0),
                        Map.entry("max_words", 100_000.0),
                        Map.entry("min_mean_word_length", 3.0),
                        Map.entry("max_mean_word_length", 10.0),
                        Map.entry("max_hash_ratio", 0.1),
                        Map.entry("max_ellipsis_ratio", 0.1),
                        Map.entry("max_bullet_lines_ratio", 0.9),
                        Map.entry("max_ellipsis_lines_ratio", 0.3),
                        Map.entry("min_alpha_words_ratio", 0.8),
                        Map.entry("min_stop_words", 2.0),
                        Map.entry("stop_words_distinct", 1.0),
                        Map.entry("stop_words_ignore_case", 0.0),
                        Map.entry("extra_bullets", 0.0)),
                new GopherQualityFilter(null).thresholds().asMap());
    }

    @Test
    void wordCountBoundary() {
        assertNull(eval("the and " + rep("house", 48)).rule(), "50 words is enough");
        assertEquals(50, out[0]);
        TextFilter.Outcome o = eval("the and " + rep("house", 47));
        assertEquals("gopher_min_words", o.rule());
        assertEquals(49, o.value());
        assertEquals(50, o.threshold());
        TextFilter.Outcome max =
                new GopherQualityFilter(Map.of("max_words", 60)).evaluate("the and " + rep("house", 59), out, 0);
        assertEquals("gopher_max_words", max.rule());
        assertEquals(61, max.value());
    }

    @Test
    void meanWordLength() {
        assertNull(eval("the and " + rep("abc", 48)).rule(), "mean exactly 3.0 is kept");
        assertEquals(3.0, out[1], 1e-12);
        TextFilter.Outcome o = eval("the and " + rep("ab", 48));
        assertEquals("gopher_min_mean_word_length", o.rule());
        assertEquals(102.0 / 50, o.value(), 1e-12);
        assertEquals(
                "gopher_max_mean_word_length",
                eval("the and " + rep("internationalisation", 48)).rule());
    }

    @Test
    void symbolsPerWord() {
        assertNull(eval("the and " + rep("house", 98) + rep("#", 10)).rule());
        assertEquals(10.0 / 110, out[2], 1e-12);
        TextFilter.Outcome o = eval("the and " + rep("house", 98) + rep("#", 12));
        assertEquals("gopher_hash_ratio", o.rule());
        assertEquals(12.0 / 112, o.value(), 1e-12);
        TextFilter.Outcome e = eval("the and " + rep("house", 98) + rep("…", 12));
        assertEquals("gopher_ellipsis_ratio", e.rule());
    }

    /**
     * Symbols are counted over the tokens and lines found by a vectorised search: on random texts dense in '#',
     * dots, '…', bullets, digits and line breaks, the ratios equal a plain count over the whole text (Python's
     * non-overlapping str.count, lines split on '\\n' and stripped).
     */
    @Test
    void symbolAndLineCountsEqualAPlainCountOverTheText() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        String[] pieces = {
            "the",
            "and",
            "House",
            "1.5",
            "#",
            "##",
            ".",
            "..",
            "...",
            "....",
            "…",
            "-",
            "•",
            "1",
            "a.b",
            " ",
            " ",
            "\n",
            "\n",
            "\t",
            "é",
            "\uD83D\uDE00",
            "x#y",
            "1...2",
            "?!"
        };
        for (int doc = 0; doc < 500; doc++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 200); k > 0; k--) {
                b.append(pieces[random.nextInt(pieces.length)]);
                if (random.nextInt(3) == 0) {
                    b.append(' ');
                }
            }
            String text = b.toString();
            new GopherQualityFilter(Map.of()).evaluate(text, out, 0);
            int tokens =
                    NltkWordSplitter.flatten(NltkWordSplitter.english(), text).size();
            int hashes = text.length() - text.replace("#", "").length();
            int ellipses = (text.length() - text.replace("...", "").length()) / 3
                    + text.length()
                    - text.replace("…", "").length();
            String[] lines =
                    text.endsWith("\n") ? text.substring(0, text.length() - 1).split("\n", -1) : text.split("\n", -1);
            int bullets = 0;
            int ellipsisLines = 0;
            for (String line : lines) {
                String s = line.strip(); // the pieces have no space Java and Python disagree on
                if (!s.isEmpty() && "•-".indexOf(s.charAt(0)) >= 0) {
                    bullets++;
                }
                if (s.endsWith("...") || s.endsWith("…")) {
                    ellipsisLines++;
                }
            }
            assertEquals(tokens == 0 ? 0 : (double) hashes / tokens, out[2], 1e-12, text);
            assertEquals(tokens == 0 ? 0 : (double) ellipses / tokens, out[3], 1e-12, text);
            int lineCount = text.isEmpty() ? 0 : lines.length; // splitlines(): no line after a final break
            assertEquals(lineCount == 0 ? 0 : (double) bullets / lineCount, out[4], 1e-12, text);
            assertEquals(lineCount == 0 ? 0 : (double) ellipsisLines / lineCount, out[5], 1e-12, text);
        }
    }

    @Test
    void bulletAndEllipsisLines() {
        String line = "the and house house house house house";
        String nineBullets = ("- " + line + "\n").repeat(9) + line;
        assertNull(eval(nineBullets).rule(), "90% bullet lines is kept");
        assertEquals(0.9, out[4], 1e-12);
        TextFilter.Outcome o = eval(("• " + line + "\n").repeat(10));
        assertEquals("gopher_bullet_lines_ratio", o.rule());

        String three = (line + "...\n").repeat(3) + (line + "\n").repeat(6) + line;
        assertNull(eval(three).rule(), "30% ellipsis lines is kept");
        assertEquals(0.3, out[5], 1e-12);
        TextFilter.Outcome four = eval((line + "...\n").repeat(4) + (line + "\n").repeat(5) + line);
        assertEquals("gopher_ellipsis_lines_ratio", four.rule());
        assertEquals(0.4, four.value(), 1e-12);
    }

    @Test
    void alphabeticWords() {
        assertNull(eval("the and " + rep("house", 78) + rep("1234", 20)).rule(), "80% is kept");
        assertEquals(0.8, out[6], 1e-12);
        TextFilter.Outcome o = eval("the and " + rep("house", 78) + rep("1234", 21));
        assertEquals("gopher_alpha_words_ratio", o.rule());
        assertEquals(80.0 / 101, o.value(), 1e-12);
    }

    /**
     * DataTrove matches tokens exactly; with {@code stop_words_ignore_case} as {@code w.lower()}: any ASCII case,
     * while 'İ' lower-cases to "i̇" and no other character becomes a letter of a stop word.
     */
    @Test
    void stopWordsMatchExactlyUnlessAskedToIgnoreCase() {
        String upper = "THE wItH Of tO bE HAVE tHaT AnD " + rep("house", 50);
        eval(upper);
        assertEquals(0, out[7]);
        new GopherQualityFilter(Map.of("stop_words_ignore_case", 1)).evaluate(upper, out, 0);
        assertEquals(8, out[7]);
        new GopherQualityFilter(Map.of("stop_words_ignore_case", 1))
                .evaluate("wİth thé tha the\u0301 to_ the1 " + rep("house", 50), out, 0);
        assertEquals(0, out[7]);
    }

    /** NLTK splits "can't" into "ca" "n't"; the pieces are tokens for the word count and mean length. */
    @Test
    void wordsAreNltkTokens() {
        eval("the and can't " + rep("house", 47));
        assertEquals(51, out[0]);
        assertEquals((3 + 3 + 2 + 3 + 47 * 5) / 51.0, out[1], 1e-12);
    }

    @Test
    void bulletsAreDataTrovesUnlessExtraAsked() {
        String line = "the and house house house house house";
        String stars = ("* " + line + "\n").repeat(10);
        assertNull(eval(stars).rule());
        assertEquals(
                "gopher_bullet_lines_ratio",
                new GopherQualityFilter(Map.of("extra_bullets", 1))
                        .evaluate(stars, out, 0)
                        .rule());
    }

    @Test
    void stopWordsDistinctAsThePaperOrOccurrencesAsDataTrove() {
        TextFilter.Outcome o = eval("the the " + rep("house", 60));
        assertEquals("gopher_stop_words", o.rule());
        assertEquals(1, o.value());
        assertNull(new GopherQualityFilter(Map.of("stop_words_distinct", 0))
                .evaluate("the the " + rep("house", 60), out, 0)
                .rule());
        assertEquals("gopher_stop_words", eval("The WITH " + rep("house", 60)).rule(), "case-sensitive");
    }

    @Test
    void unknownThresholdIsNamed() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new GopherQualityFilter(Map.of("min_wrds", 3)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("min_wrds"));
    }
}
