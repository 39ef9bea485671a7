package dev.tokenmill.quality.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** C4's line and page rules in TFDS order, plus DataTrove's preset values. */
class C4FilterTest {
    private final double[] out = new double[3];

    private TextFilter.Outcome c4(String text) {
        return new C4Filter(C4Filter.NAME, Map.of(), Set.of("badword")).evaluate(text, out, 0);
    }

    @Test
    void presets() {
        assertEquals(
                Map.of(
                        "min_words_per_line",
                        5.0,
                        "min_sentences",
                        3.0,
                        "max_word_length",
                        1000.0,
                        "apostrophe_end_mark",
                        0.0,
                        "count_words_before_citations",
                        0.0),
                new C4Filter(C4Filter.NAME, null, Set.of()).thresholds().asMap());
        assertEquals(
                Map.of(
                        "min_words_per_line",
                        3.0,
                        "min_sentences",
                        5.0,
                        "max_word_length",
                        1000.0,
                        "apostrophe_end_mark",
                        1.0,
                        "count_words_before_citations",
                        1.0),
                new C4Filter(C4Filter.DATATROVE, null, Set.of()).thresholds().asMap());
    }

    /** DataTrove ends lines with ' too, and counts a line's words before citation marks go; TFDS after. */
    @Test
    void datatroveEndMarksAndWordCount() {
        double[] out = new double[3];
        Map<String, Object> one = Map.of("min_sentences", 1);
        assertEquals(1, keptLines(new C4Filter(C4Filter.DATATROVE, one, Set.of()), "He said it was 'fine'", out));
        assertEquals(
                0,
                keptLines(
                        new C4Filter(C4Filter.NAME, Map.of("min_sentences", 1, "min_words_per_line", 3), Set.of()),
                        "He said it was 'fine'",
                        out));
        String cited = "Three words only [1] [2].";
        assertEquals(
                1,
                keptLines(
                        new C4Filter(C4Filter.DATATROVE, Map.of("min_sentences", 1, "min_words_per_line", 5), Set.of()),
                        cited,
                        out));
        assertEquals(
                0,
                keptLines(
                        new C4Filter(C4Filter.NAME, Map.of("min_sentences", 1, "min_words_per_line", 5), Set.of()),
                        cited,
                        out));
    }

    private static double keptLines(C4Filter filter, String page, double[] out) {
        filter.evaluate(page, out, 0);
        return out[0];
    }

    @Test
    void keepsOnlyGoodLines() {
        String page = String.join(
                "\n",
                "  Hello world this is fine.  ", // kept (stripped)
                "Too short line.", // 3 words
                "No punctuation at the end here", // no end mark
                "Wait for it, wait for it...", // ellipsis
                "Enable javascript to see this page properly.", // javascript
                "Read our privacy policy for all the details.", // policy phrase
                "A cited fact is right here [1].", // citation removed, kept
                "One more good line is here. And a second one!"); // two sentences
        TextFilter.Outcome o = c4(page);
        assertNull(o.rule());
        assertEquals(
                "Hello world this is fine.\nA cited fact is right here .\nOne more good line is here. And a second one!",
                o.text());
        assertEquals(3, out[0]);
        assertEquals(5, out[1]);
        assertEquals(4, out[2]);
    }

    @Test
    void aLineThatIsOnlyACitationIsDropped() {
        String good = "First good sentence is here. Second good sentence is here. Third one is here too.\n";
        TextFilter.Outcome o = c4(good + "[1]\n[citation needed]");
        assertNull(o.rule());
        assertEquals(2, out[1]);
    }

    @Test
    void tooFewSentences() {
        TextFilter.Outcome o = c4("Hello world this is fine.\nAnother line that is also fine.");
        assertEquals("c4_min_sentences", o.rule());
        assertEquals(2, o.value());
        assertEquals(3, o.threshold());
    }

    @Test
    void loremIpsumAndCurlyBracesDropThePageOnlyOnCandidateLines() {
        String good = "First good sentence is here. Second good sentence is here. Third one is here too.\n";
        assertEquals(
                "c4_lorem_ipsum",
                c4(good + "Lorem ipsum dolor sit amet, consectetur.").rule());
        assertEquals(
                "c4_curly_bracket", c4(good + "This line has a { brace in it.").rule());
        assertNull(
                c4(good + "function() { return 1 }").rule(), "no end mark: the line is dropped before the brace check");
    }

    @Test
    void badWordsMatchWholeWordsOnly() {
        String good = "First good sentence is here. Second good sentence is here. Third one is here too.\n";
        assertEquals(
                "c4_bad_words",
                c4(good + "And then a badword appears in the text.").rule());
        assertNull(c4(good + "But badwordy is a different word entirely.").rule());
    }

    /** The list C4 used (LDNOOBW via npm's naughty-words, fetched by conf/c4/fetch-bad-words; .ci/run does). */
    @Test
    void theLdnoobwListDropsWholeWordsAndPhrasesNotWordsThatContainThem() throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of("../conf/c4/bad-words-en.txt");
        if (!java.nio.file.Files.exists(file)) {
            String message = file + " is missing: run conf/c4/fetch-bad-words (needs npm)";
            if (System.getenv("CI") != null) {
                throw new AssertionError(message);
            }
            org.junit.jupiter.api.Assumptions.abort(message);
        }
        Set<String> list = new java.util.TreeSet<>();
        for (String line : java.nio.file.Files.readAllLines(file)) {
            if (!line.isBlank()) {
                list.add(line.strip().toLowerCase(java.util.Locale.ROOT));
            }
        }
        assertEquals(403, list.size(), "naughty-words 1.2.0 en");
        C4Filter c4 = new C4Filter(C4Filter.NAME, Map.of(), list);
        String good = "First good sentence is here. Second good sentence is here. Third one is here too.\n";
        assertNull(
                c4.evaluate(good + "The analysis of the class assessment was thorough and fair.", out, 0)
                        .rule(),
                "'anal' and 'ass' inside longer words are not bad words");
        assertEquals(
                "c4_bad_words",
                c4.evaluate(good + "He called the referee an ass during the match.", out, 0)
                        .rule());
        assertEquals(
                "c4_bad_words",
                c4.evaluate(good + "The shop sold a Ball Gag next to the candles.", out, 0)
                        .rule(),
                "a listed phrase, matched after lower-casing");
        assertNull(c4.evaluate(good + "We should address the issue tomorrow morning.", out, 0)
                .rule());
    }

    @Test
    void dataTrovePresetKeepsThreeWordLinesButWantsFiveSentences() {
        C4Filter dt = new C4Filter(C4Filter.DATATROVE, Map.of(), Set.of());
        assertNull(
                dt.evaluate("Three words here.\nOne. Two. Three. Four.", out, 0).rule(), "1 + 4 = 5 sentences");
        assertEquals(2, out[0], "the 3-word line is kept");
        TextFilter.Outcome o = dt.evaluate("Three words here.\nOne. Two. Three four.", out, 0);
        assertEquals("c4_datatrove_min_sentences", o.rule());
        assertEquals(4, o.value());
        TextFilter.Outcome tfds = new C4Filter(C4Filter.NAME, Map.of(), Set.of())
                .evaluate("Three words here.\nFour words are here.", out, 0);
        assertEquals("c4_min_sentences", tfds.rule());
        assertEquals(0, tfds.value(), "TFDS drops lines of fewer than 5 words");
    }

    @Test
    void sentencesArePunktSentences() {
        double[] out = new double[3];
        C4Filter filter = new C4Filter(C4Filter.NAME, Map.of("min_words_per_line", 1, "min_sentences", 1), Set.of());
        filter.evaluate("The U.S. federal laws apply here.", out, 0);
        assertEquals(1, out[2], "an abbreviation does not end a sentence");
        filter.evaluate("One thing. Two things! Three things?", out, 0);
        assertEquals(3, out[2]);
        filter.evaluate("Version 3.14 is out.", out, 0);
        assertEquals(1, out[2]);
    }

    @Test
    void everyLineBreakOfPythonsSplitlinesSplitsLines() {
        // TFDS and DataTrove split with str.splitlines(): CRLF, LF, CR, VT, FF, FS, GS, RS, NEL, U+2028, U+2029
        String[] lines = {
            "This is a perfectly normal line of text here.",
            "short one.",
            "Another fine line of text is here too!",
            "A third line that is long enough to count?",
            "no terminal mark here at all",
            "  The last line, with spaces around it.  "
        };
        String[] breaks = {
            "\n", "\r", "\r\n", "\u000B", "\f", "\u001C", "\u001D", "\u001E", "\u0085", "\u2028", "\u2029"
        };
        C4Filter filter = new C4Filter("c4", Map.of(), Set.of());
        double[] expected = new double[3];
        String expectedText =
                filter.evaluate(String.join("\n", lines), expected, 0).text();
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int t = 0; t < 200; t++) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < lines.length; k++) {
                b.append(k == 0 ? "" : breaks[random.nextInt(breaks.length)]).append(lines[k]);
            }
            double[] signals = new double[3];
            TextFilter.Outcome o = filter.evaluate(b.toString(), signals, 0);
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(signals), b.toString());
            assertEquals(expectedText, o.text());
        }
        assertEquals(4.0, expected[0]); // kept: the three long punctuated lines and the last one, stripped
        assertEquals(2.0, expected[1]);
    }

    @Test
    void aCitationMarkThatJoinsAPhraseStillDropsTheLine() {
        String keep = "This is a perfectly normal line of text here.\nAnother fine line of text is here too.\n"
                + "A third line that is long enough to count.\n";
        double[] signals = new double[3];
        TextFilter.Outcome o = new C4Filter("c4", java.util.Map.of(), java.util.Set.of())
                .evaluate(keep + "Please enable java[1]script in your browser now.", signals, 0);
        assertEquals(3.0, signals[0]);
        assertEquals(1.0, signals[1]);
        assertEquals(true, o.kept());
    }
}
