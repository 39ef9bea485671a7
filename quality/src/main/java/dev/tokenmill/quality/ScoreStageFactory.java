package dev.tokenmill.quality;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import java.util.List;

/** The {@code score} stage and its parameters (at least one model). */
public final class ScoreStageFactory implements StageFactory {
    static final Param<String> CLASSIFIER = Param.string(
            "classifier",
            null,
            "quality classifier folder from tokenmill train-quality-model (lake-relative or a full path)");
    static final Param<String> LM =
            Param.string("lm", null, "n-gram model file from train-lm (lake-relative or a full path)");
    static final Param<List<Double>> BUCKET_PERCENTILES = Param.numbers(
            "bucket_percentiles",
            List.of(30.0, 60.0),
            "perplexity percentiles per language: head below the first, tail above the second (CCNet)");
    static final Param<Double> MIN_QUALITY_SCORE = Param.optionalNumber(
            "min_quality_score",
            0,
            1,
            "drop documents whose quality_score is below (quality_score_low); none: keep all");
    static final Param<Double> MAX_PERPLEXITY = Param.optionalNumber(
            "max_perplexity",
            0,
            Double.MAX_VALUE,
            "drop documents whose perplexity is above (perplexity_high); none: keep all");
    static final ParamSet PARAMS =
            new ParamSet("score", CLASSIFIER, LM, BUCKET_PERCENTILES, MIN_QUALITY_SCORE, MAX_PERPLEXITY);

    @Override
    public String name() {
        return "score";
    }

    @Override
    public String description() {
        return "model-based quality: quality_score (MLlib hashed n-gram classifier), perplexity (Kneser-Ney n-gram LM) "
                + "and CCNet head/middle/tail ppl_bucket per language";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public Stage create(ParamValues v) {
        if (v.get(CLASSIFIER) == null && v.get(LM) == null) {
            throw new IllegalArgumentException("stage 'score': give a 'classifier' model, an 'lm' model, or both");
        }
        List<Double> cuts = v.get(BUCKET_PERCENTILES);
        if (cuts.size() != 2 || !(cuts.get(0) > 0 && cuts.get(0) < cuts.get(1) && cuts.get(1) < 100)) {
            throw new IllegalArgumentException(
                    "stage 'score': bucket_percentiles must be two numbers with 0 < head < tail < 100, got " + cuts);
        }
        return new ScoreStage(
                v.config(),
                v.get(CLASSIFIER),
                v.get(LM),
                cuts.get(0),
                cuts.get(1),
                v.get(MIN_QUALITY_SCORE),
                v.get(MAX_PERPLEXITY));
    }
}
