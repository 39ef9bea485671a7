package dev.tokenmill.quality.lang;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.Map;
import java.util.SortedMap;

/**
 * Lingua: 1- to 5-gram models of 75 languages plus script rules. Low-accuracy mode uses trigrams only: much less
 * memory and time, weaker on short text.
 */
final class LinguaIdentifier implements LanguageIdentifier {
    private final LanguageDetector detector;
    private final boolean lowAccuracy;

    LinguaIdentifier(boolean lowAccuracy) {
        this.lowAccuracy = lowAccuracy;
        LanguageDetectorBuilder builder = LanguageDetectorBuilder.fromAllLanguages();
        if (lowAccuracy) {
            builder = builder.withLowAccuracyMode();
        }
        detector = builder.build();
    }

    @Override
    public Guess identify(String text) {
        SortedMap<Language, Double> confidences = detector.computeLanguageConfidenceValues(text);
        if (confidences.isEmpty()) {
            return Guess.NONE;
        }
        // the map is sorted by descending confidence
        Map.Entry<Language, Double> best = confidences.entrySet().iterator().next();
        IsoCode639_1 iso = best.getKey().getIsoCode639_1();
        return new Guess(LanguageCodes.normalise(iso.toString()), best.getValue());
    }

    @Override
    public String name() {
        return lowAccuracy ? "lingua-low" : "lingua";
    }
}
