package dev.tokenmill.quality;

import dev.tokenmill.core.Params;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.quality.lang.LanguageIdentifiers;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Recipe parameters of {@code langid}:
 * <pre>
 * params:
 *   detector: optimaize      # or lingua (more accurate on short text and Chinese, ~10x slower, ~1.3 GB models)
 *   languages: [en, de]      # allow-list of ISO 639-1 codes; empty or absent: tag only, drop nothing for language
 *   min_score: 0.65          # detector probability below this is dropped (language_low_score)
 *   max_chars: 5000          # characters read from the start of each document
 * </pre>
 */
public final class LanguageStageFactory implements StageFactory {
    @Override
    public String name() {
        return "langid";
    }

    @Override
    public String description() {
        return "language ID (Optimaize or Lingua): lang and lang_score columns; allow-list and minimum score filter";
    }

    @Override
    public Stage create(Map<String, Object> params) {
        Params p = new Params(name(), params).allowOnly("detector", "languages", "min_score", "max_chars");
        String detector = p.oneOf("detector", "optimaize", LanguageIdentifiers.NAMES.toArray(String[]::new));
        return new LanguageStage(detector, new LinkedHashSet<>(p.strings("languages")),
            p.number("min_score", 0.65, 0.0, 1.0), p.integer("max_chars", 5000, 100, 10_000_000));
    }
}
