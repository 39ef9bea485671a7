package dev.tokenmill.quality.lang;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Optimaize language-detector: character 1–3-gram profiles of 71 languages, naive Bayes with seeded sampling. */
final class OptimaizeIdentifier implements LanguageIdentifier {
    private final LanguageDetector detector;
    private final TextObjectFactory texts = CommonTextObjectFactories.forDetectingOnLargeText();

    OptimaizeIdentifier(long seed) {
        try {
            detector = LanguageDetectorBuilder.create(NgramExtractors.standard())
                    .withProfiles(new LanguageProfileReader().readAllBuiltIn())
                    .seed(seed)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the Optimaize language profiles", e);
        }
    }

    @Override
    public Guess identify(String text) {
        List<DetectedLanguage> ranked = detector.getProbabilities(texts.forText(text));
        if (ranked.isEmpty()) {
            return Guess.NONE;
        }
        DetectedLanguage best = ranked.get(0);
        return new Guess(LanguageCodes.normalise(best.getLocale().getLanguage()), best.getProbability());
    }

    @Override
    public String name() {
        return "optimaize";
    }
}
