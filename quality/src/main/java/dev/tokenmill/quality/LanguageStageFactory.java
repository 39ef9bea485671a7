package dev.tokenmill.quality;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.quality.lang.LanguageIdentifiers;
import java.util.LinkedHashSet;
import java.util.List;

/** The {@code langid} stage and its parameters. */
public final class LanguageStageFactory implements StageFactory {
    static final Param<String> DETECTOR = Param.oneOf(
            "detector",
            "optimaize",
            LanguageIdentifiers.NAMES,
            "optimaize, or lingua (more accurate on short text and Chinese, ~10x slower, ~1.3 GB of models)");
    static final Param<List<String>> LANGUAGES = Param.strings(
                    "languages", List.of(), "allow-list of ISO 639-1 codes; empty: tag only, drop nothing for language")
            .canonical(Param::sorted);
    static final Param<Double> MIN_SCORE = Param.number(
            "min_score",
            0.65,
            0.0,
            1.0,
            "documents whose detector probability is below this are dropped (language_low_score)");
    static final Param<Integer> MAX_CHARS =
            Param.integer("max_chars", 5000, 100, 10_000_000, "characters read from the start of each document");
    static final ParamSet PARAMS = new ParamSet("langid", DETECTOR, LANGUAGES, MIN_SCORE, MAX_CHARS);

    @Override
    public String name() {
        return "langid";
    }

    @Override
    public String description() {
        return "language ID (Optimaize or Lingua): lang and lang_score columns; allow-list and minimum score filter";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public Stage create(ParamValues v) {
        return new LanguageStage(
                v.config(), v.get(DETECTOR), new LinkedHashSet<>(v.get(LANGUAGES)), v.get(MIN_SCORE), v.get(MAX_CHARS));
    }
}
