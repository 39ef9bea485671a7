package dev.tokenmill.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {
    private final TextNormalizer defaults = TextNormalizer.defaults();

    @Test
    void composesToNfcAndReportsIt() {
        TextNormalizer.Report r = new TextNormalizer.Report();
        assertEquals("café", defaults.normalize("cafe\u0301", r));
        assertTrue(r.unicodeChanged);
        assertTrue(r.changed);
    }

    @Test
    void nfkcFoldsCompatibilityCharacters() {
        TextNormalizer nfkc = new TextNormalizer(TextNormalizer.Form.NFKC, true, 1, true);
        assertEquals("fi 2", nfkc.normalize("\uFB01 \u00B2"));
        assertEquals("\uFB01", new TextNormalizer(TextNormalizer.Form.NONE, true, 1, true).normalize("\uFB01"));
    }

    @Test
    void allLineEndingsBecomeLf() {
        TextNormalizer.Report r = new TextNormalizer.Report();
        assertEquals("a\nb\nc\nd\ne", defaults.normalize("a\r\nb\rc\u2028d\u0085e", r));
        assertTrue(r.lineEndingsChanged);
    }

    @Test
    void collapsesHorizontalWhitespaceAndTrimsLines() {
        assertEquals("a b c\nd", defaults.normalize("  a \t b\u00A0\u2003c   \n   d  "));
    }

    @Test
    void keepsAtMostConfiguredBlankLines() {
        assertEquals("p1\n\np2", defaults.normalize("p1\n\n\n\n\np2"));
        assertEquals("p1\np2", new TextNormalizer(TextNormalizer.Form.NFC, true, 0, true).normalize("p1\n\n\np2"));
        assertEquals(
                "p1\n\n\n\np2", new TextNormalizer(TextNormalizer.Form.NFC, true, -1, true).normalize("p1\n\n\n\np2"));
    }

    @Test
    void removesControlCharactersAndCountsThem() {
        TextNormalizer.Report r = new TextNormalizer.Report();
        assertEquals("ab", defaults.normalize("a\u0000\u0007\u009Fb", r));
        assertEquals(3, r.controlCharsRemoved);
    }

    @Test
    void whitespaceOnlyBecomesEmpty() {
        assertEquals("", defaults.normalize(" \n\t\r\n \u00A0 "));
    }

    @Test
    void unchangedTextIsReportedUnchanged() {
        TextNormalizer.Report r = new TextNormalizer.Report();
        String clean = "Already clean.\n\nTwo paragraphs, ünïcödé, 日本語, emoji 😀.";
        assertEquals(clean, defaults.normalize(clean, r));
        assertFalse(r.changed);
        assertFalse(r.unicodeChanged);
    }

    @Test
    void withoutCollapsingKeepsInnerSpacingButTrimsTheEnd() {
        TextNormalizer keep = new TextNormalizer(TextNormalizer.Form.NFC, false, 1, true);
        assertEquals("a  \tb", keep.normalize("a  \tb \n\n"));
    }

    @Test
    void surrogatePairsSurvive() {
        assertEquals("𝔘𝔫𝔦 😀", defaults.normalize("𝔘𝔫𝔦   😀"));
    }

    @Test
    void everyPairOfCharsBelowCombiningMarksIsAlreadyNfc() {
        // the fast path skips Java's quick check for such texts: no char below U+0300 changes or composes under NFC
        for (char a = 0; a < 0x300; a++) {
            for (char b = 0; b < 0x300; b++) {
                String pair = new String(new char[] {a, b});
                assertTrue(java.text.Normalizer.isNormalized(pair, java.text.Normalizer.Form.NFC), pair);
            }
        }
        assertTrue(TextNormalizer.belowCombiningMarks("café ÿ ~"));
        assertFalse(TextNormalizer.belowCombiningMarks("cafe\u0301"));
        assertEquals("café", defaults.normalize("cafe\u0301"));
    }
}
