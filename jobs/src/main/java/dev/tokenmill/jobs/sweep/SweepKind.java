package dev.tokenmill.jobs.sweep;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sweep} step: a set of independent small training runs, one Spark task each, as many at once as the
 * cluster has task slots ({@link Sweep}). Each entry of {@code runs} names a configuration and its data (a tokenize
 * table) and may override any {@code pretrain} setting of {@code base}; each runs with {@code seeds} seeds. Output:
 * one row per run in a Delta table; a killed sweep resumes where it stopped (a finished run's result file is kept).
 */
public final class SweepKind implements StepKind {
    public static final String NAME = "sweep";
    static final Param<Object> BASE = Param.structured(
            "base",
            "map: pretrain setting → value",
            "pretrain settings shared by every run (layers, d_model, steps, lr, …)");
    static final Param<Object> RUNS = Param.structured(
            "runs",
            "list of {name, data or mix, grid, any pretrain setting: value}",
            "the configurations: a name, a tokenize table (data) or tables with weights (mix: {table: weight}, drawn"
                    + " on the fly), settings that override base, and grid: {setting: [values]} for one"
                    + " configuration per combination (a scaling grid); required");
    static final Param<Integer> SEEDS =
            Param.integer("seeds", 1, 1, 1000, "runs per configuration, seeds seed, seed + 1, …");
    static final Param<List<String>> EVAL = Param.strings(
            "eval",
            List.of(),
            "tokenize tables every run is scored on (mean loss of eval_windows windows spread evenly over each)");
    static final Param<Integer> EVAL_WINDOWS =
            Param.integer("eval_windows", 64, 1, 1 << 20, "windows of each eval table scored");
    static final Param<Integer> THREADS = Param.integer(
                    "threads_per_task", 1, 1, 1024, "torch threads per run (one run per Spark task)")
            .notInOutput();
    static final Param<Double> MAX_EPOCHS = Param.number(
            "max_epochs", 4.0, 1e-6, 1e6, "a mix run repeats a source at most this often (as the mix step's cap)");
    static final ParamSet PARAMS = new ParamSet(NAME, BASE, RUNS, SEEDS, EVAL, EVAL_WINDOWS, MAX_EPOCHS, THREADS);

    /**
     * One configuration of {@code runs}: its data is one table ({@code data}, trained on whole) or several with
     * weights ({@code mix}, the run's token budget drawn from them by {@link SourceMix}).
     */
    record Entry(String name, String data, Map<String, Double> mix, Map<String, Object> settings) {
        List<String> tables() {
            return data != null ? List.of(data) : List.copyOf(mix.keySet());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "independent small training runs (proxy models), one Spark task each; output: a table of runs";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        ParamValues p = spec.params();
        List<Entry> entries = entries(p.get(RUNS), p.get(BASE));
        Set<String> tables = new LinkedHashSet<>();
        entries.forEach(e -> tables.addAll(e.tables()));
        tables.addAll(p.get(EVAL));
        List<TableLocation> inputs = new ArrayList<>();
        for (String t : tables) {
            inputs.add(spec.lake().locate(t));
        }
        TableLocation output = spec.output();
        Sweep.Settings settings = new Sweep.Settings(
                entries,
                p.get(SEEDS),
                p.get(EVAL),
                p.get(EVAL_WINDOWS),
                p.get(MAX_EPOCHS),
                p.get(THREADS),
                spec.seed());
        return new DeclaredStep(inputs, new Output.Table(output, null), p.config(), List.of(), true) {
            @Override
            public String label(StepRun run) {
                return NAME + " " + entries.size() + " configuration(s) × " + settings.seeds() + " seed(s) → "
                        + output.name();
            }

            @Override
            public void run(StepRun run) {
                Sweep.run(run, output, settings, label(run));
            }
        };
    }

    @SuppressWarnings("unchecked")
    static List<Entry> entries(Object runs, Object base) {
        if (!(runs instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("runs must be a non-empty list of {name, data or mix, …}");
        }
        if (base != null && !(base instanceof Map)) {
            throw new IllegalArgumentException("base must be a map of pretrain settings");
        }
        List<Entry> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Object o : expandGrids(list)) {
            if (!(o instanceof Map<?, ?> m)
                    || !(m.get("name") instanceof String name)
                    || (m.get("data") == null) == (m.get("mix") == null)) {
                throw new IllegalArgumentException("every run needs a name and either data (a table) or mix: " + o);
            }
            String data = null;
            Map<String, Double> mix = null;
            if (m.get("data") instanceof String d) {
                data = d;
            } else if (m.get("mix") instanceof Map<?, ?> weights && !weights.isEmpty()) {
                mix = new LinkedHashMap<>();
                for (var w : weights.entrySet()) {
                    if (!(w.getValue() instanceof Number n) || n.doubleValue() < 0) {
                        throw new IllegalArgumentException(
                                "run '" + name + "': mix weights must be numbers ≥ 0, got " + w.getValue());
                    }
                    mix.put(String.valueOf(w.getKey()), n.doubleValue());
                }
                if (mix.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
                    throw new IllegalArgumentException("run '" + name + "': mix weights add up to 0");
                }
            } else {
                throw new IllegalArgumentException(
                        "run '" + name + "': data is a table name, mix a non-empty map of table → weight");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("two runs are named '" + name + "'");
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            if (base != null) {
                settings.putAll((Map<String, Object>) base);
            }
            ((Map<String, Object>) m).forEach((k, v) -> {
                if (!k.equals("name") && !k.equals("data") && !k.equals("mix") && !k.equals("grid")) {
                    settings.put(k, v);
                }
            });
            for (String layout : List.of("dp", "pp")) {
                if (settings.containsKey(layout) && ((Number) settings.get(layout)).intValue() != 1) {
                    throw new UserError(
                            "sweep: a run is one Spark task: " + layout + " must be 1 (run '" + name + "')");
                }
            }
            out.add(new Entry(name, data, mix, settings));
        }
        return out;
    }

    /**
     * A run with {@code grid: {setting: [v1, v2, …], …}} becomes one run per combination (the first setting varies
     * slowest), named {@code NAME-setting=value-…}, each with those settings on top of its own.
     */
    @SuppressWarnings("unchecked")
    static List<Object> expandGrids(List<?> runs) {
        List<Object> out = new ArrayList<>();
        for (Object o : runs) {
            if (!(o instanceof Map<?, ?> m) || m.get("grid") == null) {
                out.add(o);
                continue;
            }
            if (!(m.get("grid") instanceof Map<?, ?> grid) || grid.isEmpty()) {
                throw new IllegalArgumentException("grid must be a map of setting → list of values: " + o);
            }
            List<Map<String, Object>> combinations = new ArrayList<>();
            combinations.add(new LinkedHashMap<>((Map<String, Object>) m));
            for (var axis : grid.entrySet()) {
                if (!(axis.getValue() instanceof List<?> values) || values.isEmpty()) {
                    throw new IllegalArgumentException(
                            "grid: " + axis.getKey() + " must be a non-empty list of values, got " + axis.getValue());
                }
                List<Map<String, Object>> next = new ArrayList<>();
                for (Map<String, Object> c : combinations) {
                    for (Object v : values) {
                        Map<String, Object> e = new LinkedHashMap<>(c);
                        e.put(String.valueOf(axis.getKey()), v);
                        e.put("name", c.get("name") + "-" + axis.getKey() + "=" + v);
                        next.add(e);
                    }
                }
                combinations = next;
            }
            combinations.forEach(c -> c.remove("grid"));
            out.addAll(combinations);
        }
        return out;
    }
}
