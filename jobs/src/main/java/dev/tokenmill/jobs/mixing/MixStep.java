package dev.tokenmill.jobs.mixing;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Params;
import dev.tokenmill.mixing.MixSampler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code mix} step's settings, parsed from recipe params:
 * <pre>
 * params:
 *   sources:                       # tables with weight (1), max_epochs (4) and an optional where filter
 *     - {table: scored/web, weight: 0.7}
 *     - {table: scored/books, weight: 0.3, max_epochs: 2}
 *   unit: tokens                   # tokens (needs tokenizer) | chars | documents; default tokens with a tokenizer, else chars
 *   tokenizer: models/tokenizers/x # counts tokens per document
 *   target: 5000000                # in units; or target_scale: 2.0 (× the smallest source)
 *   temperature: 0.5               # instead of weights: p ∝ size^α
 *   balance_by: lang               # equal shares for each value of a column within a source
 *   order_by: quality_score desc   # curriculum inside each phase (numeric column)
 *   phases:                        # e.g. the last 10 % from high-quality sources
 *     - {name: main, fraction: 0.9}
 *     - {name: anneal, fraction: 0.1, weights: {scored/books: 1, scored/web: 0}}
 * </pre>
 */
public record MixStep(
        List<Source> sources,
        String unit,
        String tokenizer,
        Double target,
        Double targetScale,
        Double temperature,
        String balanceBy,
        MixSampler.Order order,
        List<MixSampler.Phase> phases) {

    public record Source(String table, double weight, double maxEpochs, String where) {}

    static final Param<Object> SOURCES = Param.structured(
            "sources",
            "list of {table, weight, max_epochs, where}",
            "tables to mix: weight (1), max_epochs (4: a source is repeated at most this often), where (SQL filter); required");
    static final Param<String> UNIT = Param.string(
                    "unit", null, "what shares and targets count: tokens (needs tokenizer), " + "chars or documents")
            .defaultText("tokens with a tokenizer, else chars");
    static final Param<String> TOKENIZER =
            Param.string("tokenizer", null, "a folder written by train-tokenizer: counts tokens per document");
    static final Param<Double> TARGET =
            Param.optionalNumber("target", 1e-9, Double.MAX_VALUE, "size of the mixture in units (or target_scale)");
    static final Param<Double> TARGET_SCALE = Param.optionalNumber(
            "target_scale", 1e-9, 1e9, "size of the mixture as a multiple of the smallest source (or target)");
    static final Param<Double> TEMPERATURE =
            Param.optionalNumber("temperature", 0, 10, "instead of weights: shares ∝ size^temperature");
    static final Param<String> BALANCE_BY =
            Param.string("balance_by", null, "a column: equal shares for each of its values within a source");
    static final Param<String> ORDER_BY =
            Param.string("order_by", null, "curriculum inside each phase: 'column' or 'column asc|desc' (numeric)");
    static final Param<Object> PHASES = Param.structured(
            "phases",
            "list of {name, fraction, weights, temperature}",
            "phases of the mixture in training order, fractions adding up to 1 (default: one phase)");
    public static final ParamSet PARAMS = new ParamSet(
            "mix", SOURCES, UNIT, TOKENIZER, TARGET, TARGET_SCALE, TEMPERATURE, BALANCE_BY, ORDER_BY, PHASES);

    /** Checks the parsed parameters and fills nested defaults in. */
    @SuppressWarnings("unchecked")
    public static MixStep parse(ParamValues p) {
        Object rawSources = p.get(SOURCES);
        if (!(rawSources instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(
                    "missing parameter 'sources' (a list of {table, weight, max_epochs, where})");
        }
        List<Source> sources = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(
                        "each source must be a map like {table: ..., weight: ...}, got " + o);
            }
            Params s = new Params("mix", (Map<String, Object>) m).allowOnly("table", "weight", "max_epochs", "where");
            String table = s.string("table", null);
            if (table == null) {
                throw new IllegalArgumentException("a source has no 'table'");
            }
            sources.add(new Source(
                    table,
                    s.number("weight", 1, 0, Double.MAX_VALUE),
                    s.number("max_epochs", 4, 1e-9, 1e6),
                    s.string("where", null)));
        }
        if (sources.stream().map(Source::table).distinct().count() != sources.size()) {
            throw new IllegalArgumentException("a table is listed twice in 'sources'");
        }
        String tokenizer = p.get(TOKENIZER);
        String unit = p.get(UNIT) == null ? (tokenizer != null ? "tokens" : "chars") : p.get(UNIT);
        if (!List.of("tokens", "chars", "documents").contains(unit)) {
            throw new IllegalArgumentException(
                    "parameter 'unit' must be one of tokens, chars, documents, got '" + unit + "'");
        }
        if (unit.equals("tokens") && tokenizer == null) {
            throw new IllegalArgumentException(
                    "unit 'tokens' needs a 'tokenizer' (a folder written by train-tokenizer)");
        }
        Double target = p.get(TARGET);
        Double scale = p.get(TARGET_SCALE);
        if ((target == null) == (scale == null)) {
            throw new IllegalArgumentException(
                    "give exactly one of 'target' (units) and 'target_scale' (× the smallest source)");
        }
        Double temperature = p.get(TEMPERATURE);
        MixSampler.Order order = null;
        String orderBy = p.get(ORDER_BY);
        if (orderBy != null) {
            String[] parts = orderBy.trim().split("\\s+");
            if (parts.length > 2 || (parts.length == 2 && !parts[1].matches("(?i)asc|desc"))) {
                throw new IllegalArgumentException(
                        "order_by must be 'column' or 'column asc|desc', got '" + orderBy + "'");
            }
            order = new MixSampler.Order(parts[0], parts.length == 2 && parts[1].equalsIgnoreCase("desc"));
        }
        List<MixSampler.Phase> phases = new ArrayList<>();
        Object rawPhases = p.get(PHASES);
        if (rawPhases == null) {
            phases.add(new MixSampler.Phase("main", 1.0, null, temperature));
        } else if (rawPhases instanceof List<?> pl && !pl.isEmpty()) {
            double total = 0;
            for (Object o : pl) {
                if (!(o instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException(
                            "each phase must be a map like {name: ..., fraction: ...}, got " + o);
                }
                Params ph = new Params("mix", (Map<String, Object>) m)
                        .allowOnly("name", "fraction", "weights", "temperature");
                Map<String, Double> weights = null;
                if (m.get("weights") instanceof Map<?, ?> w) {
                    weights = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : w.entrySet()) {
                        String t = String.valueOf(e.getKey());
                        if (sources.stream().noneMatch(s -> s.table().equals(t))) {
                            throw new IllegalArgumentException("phase weights name '" + t + "', which is not a source");
                        }
                        weights.put(t, Double.parseDouble(String.valueOf(e.getValue())));
                    }
                }
                double fraction = ph.number("fraction", 0, 0, 1);
                total += fraction;
                phases.add(new MixSampler.Phase(
                        ph.string("name", "phase" + phases.size()),
                        fraction,
                        weights,
                        m.containsKey("temperature")
                                ? Double.valueOf(ph.number("temperature", 1, 0, 10))
                                : temperature));
            }
            if (Math.abs(total - 1) > 1e-6) {
                throw new IllegalArgumentException("phase fractions must add up to 1, got " + total);
            }
        } else {
            throw new IllegalArgumentException("'phases' must be a non-empty list");
        }
        return new MixStep(
                List.copyOf(sources),
                unit,
                tokenizer,
                target,
                scale,
                temperature,
                p.get(BALANCE_BY),
                order,
                List.copyOf(phases));
    }

    /** Everything that changes the output, nested defaults filled in: the step's config (fingerprint, lineage). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> src = new ArrayList<>();
        for (Source s : sources) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("table", s.table());
            x.put("weight", s.weight());
            x.put("max_epochs", s.maxEpochs());
            x.put("where", s.where());
            src.add(x);
        }
        m.put("sources", src);
        m.put("unit", unit);
        m.put("tokenizer", tokenizer);
        m.put("target", target);
        m.put("target_scale", targetScale);
        m.put("temperature", temperature);
        m.put("balance_by", balanceBy);
        m.put("order_by", order == null ? null : order.column() + (order.descending() ? " desc" : " asc"));
        List<Map<String, Object>> ph = new ArrayList<>();
        for (MixSampler.Phase p : phases) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", p.name());
            x.put("fraction", p.fraction());
            x.put("weights", p.weights());
            x.put("temperature", p.temperature());
            ph.add(x);
        }
        m.put("phases", ph);
        return m;
    }
}
