package dev.tokenmill.quality.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.quality.TextNormalizer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextCleanerTest {
    private final TextCleaner cleaner = new TextCleaner(TextCleaner.Options.defaults());

    /** What a UTF-8 string looks like after a cp1252 decoder read its bytes. */
    private static String garble(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), Charset.forName("windows-1252"));
    }

    /** … and after a Latin-1 decoder read them (every byte kept, as U+0080–U+00FF). */
    private static String garbleLatin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void repairsUtf8ReadAsCp1252() {
        int[] runs = new int[1];
        assertEquals("café", Mojibake.repair("cafÃ©", runs));
        assertEquals("It’s “quoted — ok", Mojibake.repair(garble("It’s “quoted — ok"), new int[1]));
        assertEquals("Zürich, São Paulo, Kraków", Mojibake.repair(garble("Zürich, São Paulo, Kraków"), new int[1]));
        // cp1252 has no character for 0x81/0x8D/0x8F/0x90/0x9D ("с" is D1 81, "”" is E2 80 9D): Latin-1 keeps them
        assertEquals("“Москва”, Łódź", Mojibake.repair(garbleLatin1("“Москва”, Łódź"), new int[1]));
        assertEquals(1, runs[0]);
    }

    @Test
    void leavesGenuineLatin1Alone() {
        String fine = "café crème, naïve, Ærø, 10 € and ½";
        assertSame(fine, Mojibake.repair(fine, new int[1]));
    }

    /**
     * clean() runs mojibake repair and zero-width removal only when one table scan finds something for them (two
     * adjacent cp1252/Latin-1 high chars, a zero-width char): on random texts, including such chars at the very start
     * and end, the result equals running both rules unconditionally.
     */
    @Test
    void skippingRulesThatCannotApplyChangesNothing() {
        String[] pieces = {"word", " ", "é", "Ã©", "â€™", "“", "”", "\u200B", "\u00AD", "€", "\n", "Москва", "½", "x"};
        TextNormalizer normalizer = new TextNormalizer(TextNormalizer.Form.NFC, true, 1, true);
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        int repaired = 0;
        for (int t = 0; t < 3000; t++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 12); k > 0; k--) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = b.toString();
            int[] runs = new int[1];
            String expected =
                    normalizer.normalize(Mojibake.repair(text, runs).replaceAll("[\u200B\uFEFF\u2060\u00AD]", ""));
            TextCleaner.Report report = new TextCleaner.Report();
            assertEquals(expected, cleaner.clean(text, report), text);
            assertEquals(runs[0], report.mojibakeRuns, text);
            repaired += runs[0] > 0 ? 1 : 0;
        }
        assertEquals(true, repaired > 100, "repairs exercised: " + repaired);
    }

    @Test
    void zeroWidthGoesButJoinersStay() {
        TextCleaner.Report r = new TextCleaner.Report();
        assertEquals(
                "wordword soft hyphen 👩‍💻", cleaner.clean("\uFEFFword\u200Bword soft\u00AD hyphen 👩\u200D💻", r));
        assertEquals(3, r.zeroWidthRemoved);
    }

    @Test
    void gutenbergHeaderAndFooter() {
        String book =
                "The Project Gutenberg eBook of X\r\nlicence text\r\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\r\n"
                        + "Chapter 1.\r\nIt was a dark night.\r\n*** END OF THE PROJECT GUTENBERG EBOOK X ***\r\nmore licence\r\n";
        TextCleaner.Report r = new TextCleaner.Report();
        assertEquals("Chapter 1.\nIt was a dark night.", cleaner.clean(book, r));
        assertTrue(r.gutenbergStripped);
    }

    @Test
    void boilerplateLinesAreDroppedAndCounted() {
        String page =
                "A real sentence here.\nPlease enable JavaScript to continue\nWe use cookies. See our Privacy Policy.\n"
                        + "Lorem ipsum dolor sit amet.\nAnother real sentence.";
        TextCleaner.Report r = new TextCleaner.Report();
        assertEquals("A real sentence here.\nAnother real sentence.", cleaner.clean(page, r));
        assertEquals(1, r.javascriptLines);
        assertEquals(1, r.policyLines);
        assertEquals(1, r.loremIpsumLines);
    }

    @Test
    void terminalPunctuationRuleIsOptIn() {
        TextCleaner strict = new TextCleaner(
                new TextCleaner.Options(TextNormalizer.Form.NFC, true, true, true, true, true, true, true));
        TextCleaner.Report r = new TextCleaner.Report();
        assertEquals("Kept line.\nAlso kept!", strict.clean("Kept line.\nMenu Home About\nAlso kept!", r));
        assertEquals(1, r.noTerminalPunctuationLines);
        assertEquals(
                "Kept line.\nMenu Home About", cleaner.clean("Kept line.\nMenu Home About", new TextCleaner.Report()));
    }
}
