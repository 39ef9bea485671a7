package dev.tokenmill.quality.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BoilerplatePhrasesTest {
    @Test
    void phraseScanAgreesWithLowerCasingTheLine() {
        String[] pieces = {
            "Lorem",
            " ",
            "IPSUM",
            "ipsum",
            "java",
            "Script",
            "terms",
            "of",
            "USE",
            "privacy",
            "Policy",
            "cookie",
            "uses",
            "Cookies",
            "use",
            "x",
            ".",
            "\u212A",
            "İ",
            "é",
            "\u0000",
            "coo",
            "ie",
            " policy",
            "\u212Aie",
            "LOR",
            "em"
        }; // Kelvin sign lower-cases to k
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        int hits = 0;
        for (int t = 0; t < 20_000; t++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 10); k > 0; k--) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            String line = b.toString();
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            int expected = (lower.contains("lorem ipsum") ? 1 : 0)
                    | (lower.contains("javascript") ? 2 : 0)
                    | (java.util.stream.Stream.of(
                                            "terms of use",
                                            "privacy policy",
                                            "cookie policy",
                                            "uses cookies",
                                            "use of cookies",
                                            "use cookies")
                                    .anyMatch(lower::contains)
                            ? 4
                            : 0);
            assertEquals(expected, BoilerplatePhrases.in(lower), line);
            assertEquals(expected, BoilerplatePhrases.in(line.toCharArray(), 0, line.length()), line);
            hits += expected != 0 ? 1 : 0;
        }
        assertEquals(true, hits > 100, "both outcomes tested: " + hits);
    }
}
