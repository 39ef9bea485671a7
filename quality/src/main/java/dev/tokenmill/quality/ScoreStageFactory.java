package dev.tokenmill.quality;

import dev.tokenmill.core.Params;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import java.util.Map;

/**
 * Recipe parameters of {@code score} (at least one model):
 * <pre>
 * params:
 *   classifier: models/quality/web     # from tokenmill train-quality-model (lake-relative or a full path)
 *   lm: models/lm/en.kn                # from tokenmill train-lm
 *   bucket_percentiles: [30, 60]       # head below the first, tail above the second (CCNet's code)
 *   min_quality_score: 0.5             # optional: drop below (quality_score_low)
 *   max_perplexity: 2000               # optional: drop above (perplexity_high)
 * </pre>
 */
public final class ScoreStageFactory implements StageFactory {
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
    public Stage create(Map<String, Object> params) {
        Params p = new Params(name(), params).allowOnly("classifier", "lm", "bucket_percentiles",
            "min_quality_score", "max_perplexity");
        String classifier = p.string("classifier", null);
        String lm = p.string("lm", null);
        if (classifier == null && lm == null) {
            throw new IllegalArgumentException("stage 'score': give a 'classifier' model, an 'lm' model, or both");
        }
        var cuts = p.strings("bucket_percentiles");
        double head = 30;
        double tail = 60;
        if (!cuts.isEmpty()) {
            try {
                if (cuts.size() != 2) {
                    throw new NumberFormatException();
                }
                head = Double.parseDouble(cuts.get(0));
                tail = Double.parseDouble(cuts.get(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("stage 'score': bucket_percentiles must be two numbers, got " + cuts);
            }
            if (!(head > 0 && head < tail && tail < 100)) {
                throw new IllegalArgumentException("stage 'score': bucket_percentiles must satisfy 0 < head < tail < 100, got " + cuts);
            }
        }
        Double minQuality = params != null && params.containsKey("min_quality_score")
            ? p.number("min_quality_score", 0, 0, 1) : null;
        Double maxPerplexity = params != null && params.containsKey("max_perplexity")
            ? p.number("max_perplexity", 0, 0, Double.MAX_VALUE) : null;
        return new ScoreStage(classifier, lm, head, tail, minQuality, maxPerplexity);
    }
}
