package dev.tokenmill.dedup;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;

/** The {@code dedup-exact} stage and its parameters; text is NFKC-normalised first in every case. */
public final class ExactDedupStageFactory implements StageFactory {
    static final Param<Boolean> FOLD_CASE = Param.bool("fold_case", true, "compare text case-insensitively");
    static final Param<Boolean> DROP_PUNCTUATION = Param.bool("drop_punctuation", true, "ignore punctuation");
    static final Param<Boolean> FOLD_WHITESPACE = Param.bool(
            "fold_whitespace",
            true,
            "treat every whitespace run as one space and ignore leading and trailing whitespace");
    static final ParamSet PARAMS = new ParamSet("dedup-exact", FOLD_CASE, DROP_PUNCTUATION, FOLD_WHITESPACE);

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
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public Stage create(ParamValues v) {
        return new ExactDedupStage(v.config(), v.get(FOLD_CASE), v.get(DROP_PUNCTUATION), v.get(FOLD_WHITESPACE));
    }
}
