package dev.tokenmill.mixing.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each op on hand-made text, and a copy as a function of (text, ops, seed). */
class TextAugmenterTest {
    private static final String TEXT = "The quick brown fox jumps over the lazy dog.\nIt was not amused at all today.";
    private final TextAugmenter a = new TextAugmenter(List.of(), "<mask>");

    private static List<String> sortedWords(String s) {
        String[] w = s.split("\\s+");
        Arrays.sort(w);
        return List.of(w);
    }

    @Test
    void swapKeepsTheWordsAndTheLineBreak() {
        String out = a.apply("swap", TEXT, 0.2, new SplittableRandom(1));
        assertNotEquals(TEXT, out);
        assertEquals(sortedWords(TEXT), sortedWords(out));
        assertEquals(1, out.chars().filter(c -> c == '\n').count());
    }

    @Test
    void deleteDropsAboutTheShareAndNeverEverything() {
        String many = "word ".repeat(1000).strip();
        int left = a.apply("delete", many, 0.3, new SplittableRandom(2)).split(" ").length;
        assertTrue(left > 620 && left < 780, "left " + left);
        assertEquals("alone", a.apply("delete", "alone", 1.0, new SplittableRandom(3)));
        assertEquals(
                1, a.apply("delete", "a b c d", 1.0, new SplittableRandom(3)).split(" ").length);
    }

    @Test
    void insertAddsWordsOfTheDocument() {
        String out = a.apply("insert", TEXT, 0.2, new SplittableRandom(4));
        String[] in = TEXT.split("\\s+");
        String[] more = out.split("\\s+");
        assertEquals(in.length + Math.round(0.2 * in.length), more.length);
        assertTrue(List.of(in).containsAll(List.of(more)));
    }

    @Test
    void typosAreKeyboardNeighboursAndOcrSwapsKnownShapes() {
        String out = a.apply("typo", "aaaa", 1.0, new SplittableRandom(5));
        for (char c : out.toCharArray()) {
            assertTrue("qwszx".indexOf(c) >= 0, out); // the keys around 'a'
        }
        assertEquals("Aaaa", a.apply("typo", "Aaaa", 1e-9, new SplittableRandom(5)));
        assertEquals("m", a.apply("ocr", "rn", 1.0, new SplittableRandom(6)));
        assertEquals("0l", a.apply("ocr", "O1", 1.0, new SplittableRandom(6)));
    }

    @Test
    void caseWhitespaceSentencesAndMasks() {
        assertEquals("THE quick", a.apply("case", "the QUICK", 1.0, new SplittableRandom(7)));
        String spaced = a.apply("whitespace", "a b c d e f g h", 1.0, new SplittableRandom(8));
        assertEquals("abcdefgh", spaced.replace(" ", ""));
        assertNotEquals("a b c d e f g h", spaced);

        String para = "One. Two! Three? Four.\n\nFive. Six.";
        String shuffled = a.apply("sentence_shuffle", para, 1.0, new SplittableRandom(9));
        String[] paragraphs = shuffled.split("\n\n");
        assertEquals(2, paragraphs.length);
        assertEquals(sortedWords("One. Two! Three? Four."), sortedWords(paragraphs[0]));
        assertEquals(sortedWords("Five. Six."), sortedWords(paragraphs[1]));

        String masked = a.apply("mask", "w ".repeat(100).strip(), 0.3, new SplittableRandom(10));
        long tokens = Arrays.stream(masked.split(" ")).filter("<mask>"::equals).count();
        long kept = Arrays.stream(masked.split(" ")).filter("w"::equals).count();
        assertEquals(70, kept, "30 % of the words masked");
        assertTrue(tokens >= 6 && tokens <= 30, "one token per span: " + tokens);
    }

    /** Debian's wordnet-base (WordNet 3.0), which .ci/run installs. */
    private static java.util.Map<String, byte[]> wordNetFiles(String dir) {
        java.util.Map<String, byte[]> files = new java.util.HashMap<>();
        for (String f : WordNet.FILES) {
            java.nio.file.Path p = java.nio.file.Path.of(dir, f);
            try {
                files.put(f, java.nio.file.Files.exists(p) ? java.nio.file.Files.readAllBytes(p) : null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return files;
    }

    @Test
    void wordNetSynonymsAndEdasSynonymOps() {
        WordNet wn = WordNet.of("wordnet-base", () -> wordNetFiles("/usr/share/wordnet"));
        List<String> dog = wn.synonyms("Dog");
        assertTrue(dog.containsAll(List.of("domestic dog", "Canis familiaris")), dog.toString());
        assertTrue(!dog.contains("dog"));
        assertEquals(List.of(), wn.synonyms("qwzx"));
        assertTrue(wn.synonyms("quick").contains("speedy"), wn.synonyms("quick").toString());

        TextAugmenter a = new TextAugmenter(List.of(new TextAugmenter.Op("synonym", 1, 0.5)), "<mask>", wn);
        String out = a.apply("synonym", "The dog barked.", 1.0, new SplittableRandom(3));
        assertTrue(out.startsWith("The ") && out.endsWith("."), out);
        assertNotEquals("The dog barked.", out);
        String middle = out.substring(4, out.length() - 1);
        assertTrue(
                wn.synonyms("dog").stream().anyMatch(s -> middle.startsWith(s + " "))
                        || wn.synonyms("bark").stream().anyMatch(s -> middle.endsWith(" " + s))
                        || wn.synonyms("barked").stream().anyMatch(s -> middle.endsWith(" " + s)),
                out);
        // stop words are never replaced
        assertEquals("the of and", a.apply("synonym", "the of and", 1.0, new SplittableRandom(3)));

        String inserted = a.apply("synonym_insert", "The dog barked.", 0.4, new SplittableRandom(4));
        assertTrue(inserted.length() > "The dog barked.".length(), inserted);

        assertThrows(
                IllegalArgumentException.class,
                () -> new TextAugmenter(List.of(new TextAugmenter.Op("synonym", 1, 0.1)), "<mask>"));
        IllegalArgumentException missing = assertThrows(
                IllegalArgumentException.class, () -> WordNet.of("none", () -> wordNetFiles("/nonexistent/wordnet")));
        assertTrue(missing.getMessage().contains("wordnet-base"), missing.getMessage());
    }

    @Test
    void aCopyIsAFunctionOfTextOpsAndSeed() {
        TextAugmenter aug = new TextAugmenter(
                List.of(new TextAugmenter.Op("swap", 1.0, 0.1), new TextAugmenter.Op("typo", 0.5, 0.05)), "<mask>");
        long seed = TextAugmenter.seed(42, "doc-1", 0);
        assertEquals(aug.apply(TEXT, seed), aug.apply(TEXT, seed));
        assertNotEquals(seed, TextAugmenter.seed(42, "doc-1", 1));
        assertNotEquals(seed, TextAugmenter.seed(42, "doc-2", 0));
        assertNotEquals(seed, TextAugmenter.seed(43, "doc-1", 0));
        TextAugmenter.Result r = aug.apply(TEXT, seed);
        assertEquals("swap(0.1)", r.applied().get(0));
        assertThrows(IllegalArgumentException.class, () -> new TextAugmenter.Op("nonsense", 1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new TextAugmenter.Op("swap", 1.5, 0.1));
    }
}
