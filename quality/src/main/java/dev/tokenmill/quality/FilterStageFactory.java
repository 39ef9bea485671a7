package dev.tokenmill.quality;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.quality.filter.Filters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code filter} stage and its parameters:
 * <pre>
 * params:
 *   filters: [gopher_quality, gopher_repetition, c4, fineweb]   # presets, run in this order
 *   thresholds:                                                # optional overrides by preset
 *     gopher_quality: {min_words: 30}
 *   bad_words_file: conf/c4/bad-words-en.txt                   # C4 bad-word list, one per line (conf/c4/fetch-bad-words)
 *   bad_words: [word, another phrase]                          # or inline
 * </pre>
 */
public final class FilterStageFactory implements StageFactory {
    static final Param<List<String>> FILTERS = Param.strings(
            "filters",
            List.of("gopher_quality", "gopher_repetition", "c4", "fineweb"),
            "presets, run in this order (known: " + String.join(", ", Filters.PRESETS) + ")");
    static final Param<Object> THRESHOLDS = Param.structured(
            "thresholds",
            "map: preset → {threshold: value}",
            "overrides of preset thresholds and opt-in parameters (README: filter presets)");
    static final Param<List<String>> BAD_WORDS = Param.strings(
                    "bad_words", List.of(), "C4 bad words and phrases, inline")
            .canonical(BadWords::canonical);
    static final Param<String> BAD_WORDS_FILE = Param.string(
            "bad_words_file",
            null,
            "C4 bad-word list, one word or phrase per line, # comments (conf/c4/fetch-bad-words)");
    static final ParamSet PARAMS = new ParamSet("filter", FILTERS, THRESHOLDS, BAD_WORDS, BAD_WORDS_FILE);

    @Override
    public String name() {
        return "filter";
    }

    @Override
    public String description() {
        return "heuristic quality filters with published thresholds: " + String.join(", ", Filters.PRESETS)
                + "; signals kept as columns, drops go to the rejected table with rule, value and threshold";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Stage create(ParamValues v) {
        if (v.get(FILTERS).isEmpty()) {
            throw new IllegalArgumentException(
                    "stage 'filter': parameter 'filters' must be a non-empty list of presets");
        }
        Map<String, Map<String, Object>> overrides = new LinkedHashMap<>();
        Object t = v.get(THRESHOLDS);
        if (t != null) {
            if (!(t instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(
                        "stage 'filter': parameter 'thresholds' must map preset names to {threshold: value}");
            }
            m.forEach((k, o) -> {
                if (!(o instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException(
                            "stage 'filter': thresholds." + k + " must be a map of threshold: value");
                }
                overrides.put(String.valueOf(k), (Map<String, Object>) o);
            });
        }
        Filters filters;
        try {
            filters = new Filters(v.get(FILTERS), overrides, BadWords.canonicalSet(v.get(BAD_WORDS)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stage 'filter': " + e.getMessage());
        }
        Map<String, Object> config = new LinkedHashMap<>(v.config());
        config.put("thresholds_in_force", filters.describe());
        return new FilterStage(config, filters, v.get(BAD_WORDS_FILE));
    }
}
