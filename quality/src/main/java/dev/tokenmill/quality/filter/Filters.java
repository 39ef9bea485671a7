package dev.tokenmill.quality.filter;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The named filter presets and how to build them; a serialisable description that each task turns into filters. */
public final class Filters implements Serializable {
    public static final List<String> PRESETS = List.of(
            GopherQualityFilter.NAME,
            GopherRepetitionFilter.NAME,
            C4Filter.NAME,
            C4Filter.DATATROVE,
            FineWebFilter.NAME,
            FineWebFilter.DATATROVE);

    private final List<String> names;
    private final Map<String, Map<String, Object>> overrides;
    private final TreeSet<String> badWords;

    public Filters(List<String> names, Map<String, Map<String, Object>> overrides, Set<String> badWords) {
        for (String n : names) {
            if (!PRESETS.contains(n)) {
                throw new IllegalArgumentException(
                        "unknown filter '" + n + "' (known: " + String.join(", ", PRESETS) + ")");
            }
        }
        for (String n : overrides.keySet()) {
            if (!names.contains(n)) {
                throw new IllegalArgumentException(
                        "thresholds given for '" + n + "', which is not in filters " + names);
            }
        }
        this.names = List.copyOf(names);
        this.overrides = new LinkedHashMap<>(overrides);
        this.badWords = new TreeSet<>(badWords);
        build(); // validate thresholds now, on the driver, so a typo fails before any task runs
    }

    /** Fresh filter instances (they hold scratch buffers: one set per task). */
    public List<TextFilter> build() {
        List<TextFilter> filters = new ArrayList<>();
        for (String n : names) {
            Map<String, Object> o = overrides.getOrDefault(n, Map.of());
            filters.add(
                    switch (n) {
                        case GopherQualityFilter.NAME -> new GopherQualityFilter(o);
                        case GopherRepetitionFilter.NAME -> new GopherRepetitionFilter(o);
                        case C4Filter.NAME, C4Filter.DATATROVE -> new C4Filter(n, o, badWords);
                        case FineWebFilter.NAME, FineWebFilter.DATATROVE -> new FineWebFilter(n, o);
                        default -> throw new IllegalArgumentException(n);
                    });
        }
        return filters;
    }

    /** These filters with more C4 bad words (from a list file read at run time). */
    public Filters withBadWords(Set<String> more) {
        Set<String> all = new TreeSet<>(badWords);
        all.addAll(more);
        return new Filters(names, overrides, all);
    }

    /** Every threshold in force, by filter (for lineage and the fingerprint). */
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        for (TextFilter f : build()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.putAll(f.thresholds().asMap());
            d.put(f.name(), entry);
        }
        return d;
    }
}
