package dev.tokenmill.quality.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BadWordsTest {
    // one-character and non-ASCII-second-character entries take the per-first-character lists, the rest the pair index
    // (two-character and non-ASCII-third-character entries bypass its trigram pre-test)
    private static final Set<String> ENTRIES =
            Set.of("ass", "anal", "ball gag", "g-spot", "s&m", "2g1c", "xx", "m", "aé", "doé");

    @Test
    void agreesWithTfdsRegexOnRandomText() {
        // TFDS: re.search(r"(?:\W|^)(" + "|".join(words) + r")(?:\W|$)", text.lower()); with Unicode classes Java's \W
        // is Python's on these pieces
        Pattern regex = Pattern.compile(
                "(?:\\W|^)("
                        + String.join(
                                "|",
                                ENTRIES.stream().sorted().map(Pattern::quote).toList()) + ")(?:\\W|$)",
                Pattern.UNICODE_CHARACTER_CLASS); // é is a word character, as for Python 3
        BadWords words = new BadWords(ENTRIES);
        List<String> pieces = List.of(
                "ass",
                "anal",
                "analysis",
                "class",
                "ball",
                "gag",
                "g",
                "-",
                "spot",
                "s",
                "&",
                "m",
                "2g1c",
                "x",
                " ",
                " ",
                ".",
                ",",
                "_",
                "a",
                "sm",
                "xx",
                "\n",
                "é",
                "do");
        SplittableRandom random = new SplittableRandom(11);
        int found = 0;
        for (int t = 0; t < 20_000; t++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(1, 8); k > 0; k--) {
                text.append(pieces.get(random.nextInt(pieces.size())));
            }
            String s = text.toString();
            boolean expected = regex.matcher(s).find();
            assertEquals(expected, words.find(s) != null, "'" + s + "'");
            found += expected ? 1 : 0;
        }
        assertEquals(true, found > 1000, "the random texts hit the list often enough to test both ways: " + found);
    }

    @Test
    void wordCharactersAreUnicodeAsInPython() {
        BadWords words = new BadWords(ENTRIES);
        assertNull(words.find("éass"), "é is a word character for Python 3's \\w");
        assertEquals("aé", words.find("x aé."));
        assertEquals("m", words.find("i m"));
        assertEquals("ass", words.find("«ass»"));
        assertEquals("ball gag", words.find("a ball gag."));
        assertNull(words.find("ball gagging"));
    }
}
