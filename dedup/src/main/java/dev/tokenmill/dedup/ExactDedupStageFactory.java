package dev.tokenmill.dedup;

import dev.tokenmill.core.Params;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import java.util.Map;

/**
 * Recipe parameters of {@code dedup-exact}: {@code fold_case} (true), {@code drop_punctuation} (true),
 * {@code fold_whitespace} (true). Text is NFKC-normalised first in every case.
 */
public final class ExactDedupStageFactory implements StageFactory {
    @Override
    public String name() {
        return "dedup-exact";
    }

    @Override
    public String description() {
        return "exact duplicates by a 128-bit hash of normalised text (case, punctuation, whitespace folding); "
            + "keeps the highest quality_score, else the lowest id";
    }

    @Override
    public Stage create(Map<String, Object> params) {
        Params p = new Params(name(), params).allowOnly("fold_case", "drop_punctuation", "fold_whitespace");
        return new ExactDedupStage(p.bool("fold_case", true), p.bool("drop_punctuation", true),
            p.bool("fold_whitespace", true));
    }
}
