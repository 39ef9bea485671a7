package dev.tokenmill.quality.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signals computed by hand for small texts, the way DataTrove's GopherRepetitionFilter measures them. */
class GopherRepetitionFilterTest {
    private final double[] out = new double[13];
    private final GopherRepetitionFilter filter = new GopherRepetitionFilter(Map.of());

    @Test
    void publishedDefaults() {
        Map<String, Double> t = filter.thresholds().asMap();
        assertEquals(0.30, t.get("dup_line_frac"));
        assertEquals(0.30, t.get("dup_para_frac"));
        assertEquals(0.20, t.get("dup_line_char_frac"));
        assertEquals(0.20, t.get("dup_para_char_frac"));
        assertEquals(0.20, t.get("top_2_gram_frac"));
        assertEquals(0.18, t.get("top_3_gram_frac"));
        assertEquals(0.16, t.get("top_4_gram_frac"));
        double[] dup = {0.15, 0.14, 0.13, 0.12, 0.11, 0.10};
        for (int n = 5; n <= 10; n++) {
            assertEquals(dup[n - 5], t.get("dup_" + n + "_gram_frac"));
        }
    }

    @Test
    void linesParagraphsAndTopNgrams() {
        String text = "a b\nc d\na b\n\ne f"; // 16 characters
        TextFilter.Outcome o = filter.evaluate(text, out, 0);
        assertEquals(0.0, out[0]); // paragraphs "a b\nc d\na b", "e f": no duplicate
        assertEquals(0.0, out[1]);
        assertEquals(0.25, out[2], 1e-12); // lines a b | c d | a b | e f: one duplicate of four
        assertEquals(3.0 / 16, out[3], 1e-12); // its 3 characters
        assertEquals(6.0 / 16, out[4], 1e-12); // top 2-gram "a b" (3 chars) twice
        assertEquals(5.0 / 16, out[5], 1e-12); // all 3-grams once: the first, "a b c"
        assertEquals(7.0 / 16, out[6], 1e-12); // "a b c d"
        assertEquals(0.0, out[7]); // no repeated 5-gram
        assertEquals("rep_top_2_gram_frac", o.rule());
        assertEquals(0.375, o.value(), 1e-12);
        assertEquals(0.20, o.threshold());
    }

    @Test
    void duplicatedNgramsAreCountedWithoutOverlap() {
        String text = "a b c d e a b c d e x"; // 21 characters
        filter.evaluate(text, out, 0);
        assertEquals(5.0 / 21, out[7], 1e-12); // the second "abcde" (joined without spaces)
        assertEquals(0.0, out[8]); // no 6-gram repeats
    }

    @Test
    void duplicateParagraphs() {
        String text = "p one\n\np two\n\np one"; // 19 characters
        TextFilter.Outcome o = filter.evaluate(text, out, 0);
        assertEquals(1.0 / 3, out[0], 1e-12);
        assertEquals(5.0 / 19, out[1], 1e-12);
        assertEquals("rep_dup_para_frac", o.rule());
    }

    @Test
    void ordinaryProseIsKept() {
        String prose =
                "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of "
                        + "foolishness. The committee met on Tuesday to discuss the budget for the coming year. After a long debate "
                        + "they agreed to postpone the decision until more figures were available from the regional offices, "
                        + "which had been slow to respond to earlier requests for information about staffing and travel.";
        assertNull(new GopherRepetitionFilter(Map.of("top_2_gram_frac", 0.3))
                .evaluate(prose, out, 0)
                .rule());
    }

    /** The n-gram signals against a plain reference (word lists compared as lists) on texts full of repeats. */
    @Test
    void ngramSignalsAgreeWithAPlainReferenceOnRandomTexts() {
        // "ab" "c" and "a" "bc" join to the same characters: DataTrove's duplicated n-grams compare joined strings
        String[] vocabulary = {
            "ab",
            "c",
            "a",
            "bc",
            "the",
            "cat",
            "sat",
            "on",
            "mat",
            "and",
            "dog",
            "é",
            "x-y",
            "#",
            "\uD83D\uDE00",
            "can't"
        };
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int t = 0; t < 300; t++) {
            StringBuilder b = new StringBuilder();
            int size = random.nextInt(1, 200);
            int vocab = random.nextInt(2, vocabulary.length + 1); // small vocabularies repeat a lot
            for (int w = 0; w < size; w++) {
                b.append(vocabulary[random.nextInt(vocab)]).append(random.nextInt(12) == 0 ? "\n" : " ");
            }
            String text = b.toString();
            filter.evaluate(text, out, 0);
            java.util.List<String> words = dev.tokenmill.quality.nltk.NltkWordSplitter.flatten(
                    dev.tokenmill.quality.nltk.NltkWordSplitter.english(), text);
            for (int n = 2; n <= 10; n++) {
                double expected = (n <= 4 ? topChars(words, n) : duplicatedChars(words, n)) / Math.max(1, cp(text));
                assertEquals(expected, out[2 + n], 1e-12, n + "-grams of '" + text + "'");
            }
        }
    }

    /** Python's Counter(ngrams).most_common(1): the first n-gram reaching the highest count; chars joined by spaces. */
    private static double topChars(java.util.List<String> words, int n) {
        Map<java.util.List<String>, Integer> counts = new java.util.LinkedHashMap<>();
        for (int i = 0; i + n <= words.size(); i++) {
            counts.merge(words.subList(i, i + n), 1, Integer::sum);
        }
        int best = 0;
        java.util.List<String> top = null;
        for (var e : counts.entrySet()) {
            if (e.getValue() > best) {
                best = e.getValue();
                top = e.getKey();
            }
        }
        return top == null ? 0 : cp(String.join(" ", top)) * (double) best;
    }

    private static int cp(String s) {
        return s.codePointCount(0, s.length());
    }

    /** DataTrove's find_all_duplicate: scan without overlap, jumping n words after an n-gram seen before. */
    private static double duplicatedChars(java.util.List<String> words, int n) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        long chars = 0;
        int i = 0;
        while (i < words.size() - n + 1) {
            String gram = String.join("", words.subList(i, i + n));
            if (!seen.add(gram)) {
                chars += cp(gram);
                i += n;
            } else {
                i++;
            }
        }
        return chars;
    }
}
