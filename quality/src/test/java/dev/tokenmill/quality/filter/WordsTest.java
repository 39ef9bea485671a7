package dev.tokenmill.quality.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {

    private static List<String> tokens(Words w) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < w.count(); i++) {
            String t = new String(w.chars(), w.start(i), w.length(i));
            out.add(t + (w.isSymbol(i) ? "/S" : "") + (w.hasLetter(i) ? "/L" : ""));
        }
        return out;
    }

    @Test
    void wordsSymbolsAndJoiners() {
        Words w = new Words().split("It's a well-known 3.14, e.g. 1,000 -- done... #tag _x_ 42");
        assertEquals(
                List.of(
                        "It's/L",
                        "a/L",
                        "well-known/L",
                        "3.14",
                        ",/S",
                        "e/L",
                        "./S",
                        "g/L",
                        "./S",
                        "1,000",
                        "--/S",
                        "done/L",
                        ".../S",
                        "#/S",
                        "tag/L",
                        "_x_/L",
                        "42"),
                tokens(w));
    }

    @Test
    void unicodeLettersMarksAndSurrogatePairs() {
        // é precomposed and as e + combining accent, a CJK word, a math letter outside the BMP (one word char),
        // a right single quote between letters, an em dash symbol
        Words w = new Words().split("café cafe\u0301 漢字 \uD835\uDC00b don’t — «x»");
        assertEquals(
                List.of("café/L", "cafe\u0301/L", "漢字/L", "\uD835\uDC00b/L", "don’t/L", "—/S", "«/S", "x/L", "»/S"),
                tokens(w));
    }

    @Test
    void underscoresAndDigitsAreWordCharactersButNotLetters() {
        Words w = new Words().split("__ 123 a1");
        assertEquals(List.of("__", "123", "a1/L"), tokens(w));
    }

    @Test
    void equalTokensHashEqual() {
        Words w = new Words().split("The the THE then");
        assertEquals(w.hash(1), new Words().split("x the").hash(1));
        assertNotEquals(w.hash(0), w.hash(1));
    }
}
