package dev.tokenmill.quality.nltk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** NLTK's documented examples, and the one known difference (Unicode versions), without Python. */
class NltkWordTokenizerTest {
    @Test
    void nltksDocumentedExample() {
        String s = "Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.  Please buy me\ntwo of them.\nThanks.";
        assertEquals(
                List.of(
                        "Good", "muffins", "cost", "$", "3.88", "(", "roughly", "3,36", "euros", ")", "in", "New",
                        "York.", "Please", "buy", "me", "two", "of", "them.", "Thanks", "."),
                NltkWordTokenizer.tokenize(s));
    }

    @Test
    void quotesAreRewrittenAndContractionsSplit() {
        assertEquals(
                List.of(
                        "``", "I", "ca", "n't", "go", ",", "''", "she", "said", ";", "``", "gon", "na", "try", "''",
                        "."),
                NltkWordTokenizer.tokenize("\"I can't go,\" she said; \"gonna try\"."));
        assertEquals(
                List.of("'T", "was", "John", "'s", "ship", "..."), NltkWordTokenizer.tokenize(" 'Twas John's ship..."));
    }

    @Test
    void lettersOutsideTheBmpAreWordCharacters() {
        // U+1EE0B is a letter: no word boundary before "gimme", so MacIntyre's rule does not split it
        assertEquals(List.of("\uD83B\uDE0Bgimme"), NltkWordTokenizer.tokenize("\uD83B\uDE0Bgimme"));
    }

    @Test
    void lettersNewerThanJavasUnicodeAreNotWordCharacters() {
        // U+0870 became a letter in Unicode 14 (Python 3.11); Java 17 has Unicode 13, where it is unassigned, so
        // the quote rule sees a word boundary after "x" and splits the apostrophe off. NLTK on Python 3.11 gives
        // ["'x\u0870y"] (verified with Debian's python3-nltk 3.8).
        assertEquals(List.of("'", "x\u0870y"), NltkWordTokenizer.tokenize("'x\u0870y"));
    }
}
