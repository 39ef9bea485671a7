package dev.tokenmill.quality;

import dev.tokenmill.core.Params;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.quality.filter.Filters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Recipe parameters of {@code filter}:
 * <pre>
 * params:
 *   filters: [gopher_quality, gopher_repetition, c4, fineweb]   # presets, run in this order
 *   thresholds:                                                # optional overrides by preset
 *     gopher_quality: {min_words: 30}
 *   bad_words_file: conf/c4/bad-words-en.txt                   # C4 bad-word list, one per line (optional; conf/c4/fetch-bad-words)
 *   bad_words: [word, another phrase]                          # or inline
 * </pre>
 */
public final class FilterStageFactory implements StageFactory {
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
    @SuppressWarnings("unchecked")
    public Stage create(Map<String, Object> params) {
        new Params(name(), params).allowOnly("filters", "thresholds", "bad_words", "bad_words_file");
        Map<String, Object> p = params == null ? Map.of() : params;
        Object names = p.getOrDefault("filters", List.of("gopher_quality", "gopher_repetition", "c4", "fineweb"));
        if (!(names instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("stage 'filter': parameter 'filters' must be a non-empty list of presets");
        }
        Map<String, Map<String, Object>> overrides = new LinkedHashMap<>();
        Object t = p.get("thresholds");
        if (t != null) {
            if (!(t instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("stage 'filter': parameter 'thresholds' must map preset names to {threshold: value}");
            }
            m.forEach((k, v) -> {
                if (!(v instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException("stage 'filter': thresholds." + k + " must be a map of threshold: value");
                }
                overrides.put(String.valueOf(k), (Map<String, Object>) v);
            });
        }
        Set<String> badWords = new TreeSet<>();
        if (p.get("bad_words") instanceof List<?> words) {
            words.forEach(w -> badWords.add(String.valueOf(w).toLowerCase(Locale.ROOT).strip()));
        }
        if (p.get("bad_words_file") != null) {
            Path file = Path.of(String.valueOf(p.get("bad_words_file")));
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String w = line.strip().toLowerCase(Locale.ROOT);
                    if (!w.isEmpty() && !w.startsWith("#")) {
                        badWords.add(w);
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("stage 'filter': cannot read bad_words_file " + file + ": " + e.getMessage());
            }
        }
        try {
            return new FilterStage(new Filters(list.stream().map(String::valueOf).toList(), overrides, badWords));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stage 'filter': " + e.getMessage());
        }
    }
}
