package dev.tokenmill.jobs.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordDiffTest {
    @Test
    void oneReplacedWordWithContext() {
        assertEquals("… c d [-e-]{+E+} f g …", WordDiff.of("a b c d e f g h i", "a b c d E f g h i", 2));
    }

    @Test
    void insertionsDeletionsAndSeveralSpans() {
        assertEquals("[-a-] b c …", WordDiff.of("a b c d e", "b c d e", 2));
        assertEquals("… d e {+f+}", WordDiff.of("a b c d e", "a b c d e f", 2));
        assertEquals(
                "… 2 [-3-]{+x+} 4 … 8 [-9-] 10 …",
                WordDiff.of("1 2 3 4 5 6 7 8 9 10 11 12", "1 2 x 4 5 6 7 8 10 11 12", 1));
        assertEquals("(the same words; only spacing differs)", WordDiff.of("a  b\nc", "a b c", 3));
    }

    @Test
    void manyEditsAreCounted() {
        assertEquals(
                "[-a-]{+A+} b [-c-]{+C+} d [-e-]{+E+} f … (1 more edit)",
                WordDiff.of("a b c d e f g", "A b C d E f G", 1));
    }
}
