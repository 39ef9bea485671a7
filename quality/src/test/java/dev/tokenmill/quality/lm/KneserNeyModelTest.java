package dev.tokenmill.quality.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.quality.filter.Words;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KneserNeyModelTest {
    private static final String CORPUS = String.join(
            "\n",
            "the cat sat on the mat",
            "the dog sat on the log",
            "the cat saw the dog",
            "a dog and a cat sat together on a mat",
            "the bird sang on the fence in the morning",
            "the dog barked at the cat and the bird",
            "on the mat the cat slept in the morning sun");

    private static KneserNeyModel model(int order) {
        return new KneserNeyModel.Builder(order).add(CORPUS).build();
    }

    /** Token hashes of a sentence as the model sees it: <s> words </s>. */
    private static long[] tokens(String sentence) {
        Words w = new Words();
        long[] t = LmTokens.sentence(sentence, w, new long[4]);
        long[] exact = new long[w.count() + 2];
        System.arraycopy(t, 0, exact, 0, exact.length);
        return exact;
    }

    @Test
    void everyContextIsAProbabilityDistributionOverTheVocabulary() {
        Set<String> vocabulary =
                new LinkedHashSet<>(List.of(CORPUS.replace('\n', ' ').split(" ")));
        for (int order = 1; order <= 4; order++) {
            KneserNeyModel m = model(order);
            assertEquals(vocabulary.size() + 2, m.vocabulary(), "words, </s> and <unk>");
            for (String history : List.of("the cat", "sat on the", "on a", "the", "unseen history words", "")) {
                double sum = 0;
                List<String> candidates = new ArrayList<>(vocabulary);
                candidates.add("zebra"); // stands for <unk>: every unseen word gets its probability
                for (String w : candidates) {
                    long[] t = tokens(history.isEmpty() ? w : history + " " + w);
                    sum += Math.pow(10, m.log10(t, t.length - 2));
                }
                long[] end = tokens(history);
                sum += Math.pow(10, m.log10(end, end.length - 1)); // </s>
                assertEquals(1.0, sum, 1e-9, "order " + order + ", history '" + history + "'");
            }
        }
    }

    @Test
    void unigramProbabilitiesMatchTheFormulaByHand() {
        // "a b" and "a c": adjusted unigram counts are continuation counts: a ← <s> (1), b ← a, c ← a, </s> ← b, c (2)
        KneserNeyModel m = new KneserNeyModel.Builder(2).add("a b\na c").build();
        // count-of-counts at order 1: n1 = 3 (a, b, c), n2 = 1 (</s>): D1 = 1 - 2Y·n2/n1 with Y = 3/5
        double y = 3.0 / 5;
        double d1 = 1 - 2 * y * 1 / 3;
        assertEquals(d1, m.discount(1, 1), 1e-12);
        // total 5; the mass freed: 3·D1 + D2 (D2 falls back since n3 = 0: 2 - 0 = 2 → out of (0, 2]? kept at 2)
        double d2 = m.discount(1, 2);
        double gamma = 3 * d1 + d2;
        int vocabulary = 5; // a b c </s> <unk>
        long[] t = tokens("b");
        double expectedB = ((1 - d1) + gamma / vocabulary) / 5;
        // order 2 context <s> is seen (count 2, one distinct continuation with count 2): interpolate
        double d22 = m.discount(2, 2);
        double gamma2 = d22;
        double expectedBAfterStart = (0 + gamma2 * expectedB) / 2;
        assertEquals(Math.log10(expectedBAfterStart), m.log10(t, 1), 1e-12);
    }

    @Test
    void fluentTextHasLowerPerplexityThanTheSameWordsShuffled() {
        KneserNeyModel m = model(3);
        String fluent = "the cat sat on the mat\nthe dog sat on the log";
        List<String> words = new ArrayList<>(List.of(fluent.replace('\n', ' ').split(" ")));
        java.util.Collections.shuffle(words, new Random(7));
        String shuffled = String.join(" ", words);
        double a = m.score(fluent).perplexity();
        double b = m.score(shuffled).perplexity();
        assertTrue(a < b / 2, a + " vs " + b);
        assertEquals(14, m.score(fluent).tokens(), "12 words + 2 sentence ends");
    }

    @Test
    void caseAndDigitsAreNormalisedBeforeScoring() {
        KneserNeyModel m =
                new KneserNeyModel.Builder(3).add("room 101 is on floor 3\n").build();
        assertEquals(
                m.score("room 101 is on floor 3").log10(),
                m.score("ROOM 555 is on Floor 7").log10(),
                1e-12);
    }

    @Test
    void saveAndLoadGiveTheSameScores() throws IOException {
        KneserNeyModel m = model(4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.save(bytes);
        KneserNeyModel back = KneserNeyModel.load(new ByteArrayInputStream(bytes.toByteArray()));
        for (int k = 1; k <= 4; k++) {
            assertEquals(m.ngrams(k), back.ngrams(k));
        }
        for (String text : List.of("the cat sat", "a dog and the bird sang together", "nothing known here")) {
            assertEquals(m.score(text), back.score(text));
        }
        assertThrows(IOException.class, () -> KneserNeyModel.load(new ByteArrayInputStream(new byte[] {1, 2, 3})));
    }

    @Test
    void discountsFollowChenAndGoodman() {
        double[] d = KneserNeyModel.Builder.discounts(new long[] {0, 100, 40, 20, 10});
        double y = 100.0 / (100 + 80);
        assertArrayEquals(new double[] {0, 1 - 2 * y * 40 / 100, 2 - 3 * y * 20 / 40, 3 - 4 * y * 10 / 20}, d, 1e-12);
    }
}
