package dev.tokenmill.quality.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LanguageFilterTest {
    private static final Map<String, String> SAMPLES = Map.of(
            "en", "The committee met on Tuesday morning to discuss the budget for the coming year and agreed to wait.",
            "de",
                    "Der Ausschuss trat am Dienstagmorgen zusammen, um über den Haushalt für das kommende Jahr zu beraten.",
            "fr",
                    "Le comité s'est réuni mardi matin pour discuter du budget de l'année prochaine et a décidé d'attendre.",
            "es", "El comité se reunió el martes por la mañana para discutir el presupuesto del año que viene.",
            "ru", "Комитет собрался во вторник утром, чтобы обсудить бюджет на следующий год и решил подождать.",
            "nb",
                    "Komiteen møttes tirsdag morgen for å diskutere budsjettet for det kommende året, og bestemte seg for å vente.",
            "zh", "委员会星期二上午开会讨论明年的预算，并决定等待更多的数据后再作决定。");

    private static final LanguageIdentifier OPTIMAIZE = LanguageIdentifiers.shared("optimaize", 42);

    @Test
    void optimaizeNamesEachSampleLanguage() {
        SAMPLES.forEach((lang, text) -> {
            LanguageIdentifier.Guess g = OPTIMAIZE.identify(text);
            if (!lang.equals("zh")) { // Optimaize's Chinese profiles are weak on short text (see docs/benchmarks.md)
                assertEquals(lang, g.lang(), text);
                assertTrue(g.score() > 0.9, g + " for " + text);
            }
        });
    }

    @Test
    void linguaNamesEachSampleLanguageIncludingChinese() {
        LanguageIdentifier lingua = LanguageIdentifiers.shared("lingua-low", 42);
        SAMPLES.forEach((lang, text) -> assertEquals(lang, lingua.identify(text).lang(), text));
    }

    @Test
    void sameTextSameAnswer() {
        LanguageIdentifier other = LanguageIdentifiers.create("optimaize", 42);
        for (String text : SAMPLES.values()) {
            assertEquals(OPTIMAIZE.identify(text), other.identify(text));
        }
    }

    @Test
    void allowListDropsOtherLanguages() {
        LanguageFilter f = new LanguageFilter(OPTIMAIZE, Set.of("en", "de"), 0.65, 5000);
        assertTrue(f.evaluate(SAMPLES.get("en")).kept());
        assertTrue(f.evaluate(SAMPLES.get("de")).kept());
        LanguageFilter.Verdict fr = f.evaluate(SAMPLES.get("fr"));
        assertEquals(LanguageFilter.RULE_NOT_ALLOWED, fr.rule());
        assertEquals("fr", fr.lang());
    }

    @Test
    void emptyAllowListKeepsEveryConfidentLanguage() {
        LanguageFilter f = new LanguageFilter(OPTIMAIZE, Set.of(), 0.65, 5000);
        assertTrue(f.evaluate(SAMPLES.get("ru")).kept());
        assertNull(f.evaluate(SAMPLES.get("es")).rule());
    }

    @Test
    void scoreAtTheThresholdIsKeptAndJustAboveItIsNot() {
        LanguageIdentifier fixed = new LanguageIdentifier() {
            @Override
            public Guess identify(String text) {
                return new Guess("en", 0.65);
            }

            @Override
            public String name() {
                return "fixed";
            }
        };
        assertTrue(
                new LanguageFilter(fixed, Set.of("en"), 0.65, 100).evaluate("x").kept());
        LanguageFilter.Verdict v = new LanguageFilter(fixed, Set.of("en"), 0.6500001, 100).evaluate("x");
        assertEquals(LanguageFilter.RULE_LOW_SCORE, v.rule());
        assertEquals(0.65, v.score());
    }

    @Test
    void noLettersIsUnknownAndDropped() {
        LanguageFilter.Verdict v = new LanguageFilter(OPTIMAIZE, Set.of(), 0.65, 5000).evaluate("12345 67890 !!! ???");
        assertFalse(v.kept());
        assertEquals(LanguageIdentifier.UNKNOWN, v.lang());
    }

    @Test
    void allowListCodesAreNormalised() {
        LanguageFilter f = new LanguageFilter(OPTIMAIZE, Set.of("EN", "zh-CN", "no"), 0.5, 5000);
        assertEquals(Set.of("en", "zh", "nb"), f.allowed());
    }

    @Test
    void sampleCutsAtWhitespaceAndNeverInsideASurrogatePair() {
        assertEquals("short", LanguageFilter.sample("short", 100));
        assertEquals("alpha beta", LanguageFilter.sample("alpha beta gamma", 12));
        String emoji = "\uD83D\uDE00".repeat(10); // 20 chars, no whitespace
        String s = LanguageFilter.sample(emoji, 7);
        assertEquals(6, s.length());
        assertFalse(Character.isHighSurrogate(s.charAt(s.length() - 1)));
    }

    @Test
    void unknownDetectorIsAClearError() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LanguageIdentifiers.create("cld3", 1));
        assertTrue(e.getMessage().contains("unknown language detector 'cld3'"), e.getMessage());
    }
}
