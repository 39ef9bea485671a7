package dev.tokenmill.mixing;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code decontaminate} stage and its parameters. */
public final class DecontaminateStageFactory implements StageFactory {
    static final Param<List<String>> EVAL = Param.strings(
            "eval",
            List.of(),
            "evaluation sets: files or folders of files (JSONL or text, one benchmark per file); required");
    static final Param<List<String>> FIELDS = Param.strings(
                    "fields", List.of(), "JSONL keys to read; empty: every string value")
            .canonical(Param::sorted);
    static final Param<Integer> N = Param.integer("n", 13, 1, 100, "n-gram length in words (GPT-3 used 13)");
    static final Param<Integer> MIN_WORDS = Param.optionalInteger(
                    "min_words", 1, 100, "passages shorter than n are indexed whole down to this many words")
            .defaultText("min(8, n)");
    static final Param<Integer> MIN_MATCHES =
            Param.integer("min_matches", 1, 1, 1_000_000, "shared n-grams a document needs to count as contaminated");
    static final Param<String> MODE = Param.oneOf(
            "mode",
            "drop",
            List.of("drop", "mask"),
            "drop the document, or mask the matching spans with the placeholder");
    static final Param<String> PLACEHOLDER =
            Param.string("placeholder", "<EVAL>", "what masked spans become (mode: mask)");
    static final ParamSet PARAMS =
            new ParamSet("decontaminate", EVAL, FIELDS, N, MIN_WORDS, MIN_MATCHES, MODE, PLACEHOLDER);

    @Override
    public String name() {
        return "decontaminate";
    }

    @Override
    public String description() {
        return "drops (or masks) documents sharing 13-word n-grams (case, punctuation and spacing ignored) with "
                + "user-supplied evaluation sets; the rejected table names the benchmark and a matching n-gram";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public Stage create(ParamValues v) {
        if (v.get(EVAL).isEmpty()) {
            throw new IllegalArgumentException(
                    "stage 'decontaminate': missing parameter 'eval' (evaluation set files or folders)");
        }
        int n = v.get(N);
        int minWords = v.get(MIN_WORDS) == null ? Math.min(8, n) : v.get(MIN_WORDS);
        if (minWords > n) {
            throw new IllegalArgumentException(
                    "stage 'decontaminate': parameter 'min_words' must be in [1, " + n + "], got " + minWords);
        }
        Map<String, Object> config = new LinkedHashMap<>(v.config());
        config.put(MIN_WORDS.name(), minWords);
        return new DecontaminateStage(
                config,
                v.get(EVAL),
                new HashSet<>(v.get(FIELDS)),
                n,
                minWords,
                v.get(MIN_MATCHES),
                v.get(MODE).equals("mask"),
                v.get(PLACEHOLDER));
    }
}
