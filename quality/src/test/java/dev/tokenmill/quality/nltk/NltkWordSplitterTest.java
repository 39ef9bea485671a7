package dev.tokenmill.quality.nltk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The memoized splitter gives exactly the tokens of the whole-sentence cascade ({@link NltkWordTokenizer}, itself
 * checked against python3-nltk): on real documents, on random strings built to hit every rule, and on sentence-like
 * random text; a second pass over the same inputs runs from a warm cache and must agree too.
 */
class NltkWordSplitterTest {
    private static void assertSame(List<String> inputs, NltkWordSplitter<List<String>> splitter, boolean asSentences) {
        List<String> differing = new ArrayList<>();
        int failures = 0;
        for (String input : inputs) {
            List<String> expected =
                    asSentences ? NltkWordTokenizer.tokenize(input) : NltkWordTokenizer.wordTokenize(input);
            List<String> actual = new ArrayList<>();
            if (asSentences) {
                splitter.tokenize(input, 0, input.length(), NltkWordSplitter.collector(actual));
            } else {
                splitter.wordTokenize(input, NltkWordSplitter.collector(actual));
            }
            if (!expected.equals(actual)) {
                failures++;
                if (differing.size() < 10) {
                    differing.add(
                            input.replace("\n", "\\n") + "\n   cascade: " + expected + "\n   splitter: " + actual);
                }
            }
        }
        assertTrue(failures == 0, failures + " of " + inputs.size() + " differ:\n" + String.join("\n", differing));
    }

    @Test
    void randomStringsSplitAsTheCascadeDoes() {
        List<String> inputs = NltkReference.synthetic(60_000, 20261203L);
        NltkWordSplitter<List<String>> splitter = NltkWordSplitter.english();
        assertSame(inputs, splitter, true);
        assertSame(inputs, splitter, true); // warm cache
        assertSame(
                inputs,
                new NltkWordSplitter<>(PunktSentenceTokenizer.english(), t -> t, 64),
                true); // constant eviction
    }

    @Test
    void documentsSplitAsWordTokenizeDoes() throws Exception {
        List<String> inputs = new ArrayList<>(NltkReference.europarl(2_000));
        inputs.addAll(NltkReference.sentences(20_000, 7L));
        NltkWordSplitter<List<String>> splitter = NltkWordSplitter.english();
        assertSame(inputs, splitter, false);
        assertSame(inputs, splitter, false);
    }

    @Test
    void edgesOfASentence() {
        NltkWordSplitter<List<String>> splitter = NltkWordSplitter.english();
        assertEquals(
                List.of("``", "Hi", "''", ",", "he", "said", "."),
                NltkWordSplitter.flatten(splitter, "\"Hi\", he said."));
        assertEquals(List.of("He", "said", ".", "``", ")"), NltkWordSplitter.flatten(splitter, "He said . \" )"));
        assertEquals(List.of("It", "'s", "ok", "ca", "n't", "."), NltkWordSplitter.flatten(splitter, "It's ok can't."));
        assertEquals(List.of(), NltkWordSplitter.flatten(splitter, " \n\t "));
    }
}
