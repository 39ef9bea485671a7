package dev.tokenmill.jobs.sweep;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code mix-search} step, RegMix (Liu et al., ICLR 2025): proxy runs on mixtures drawn from a Dirichlet around
 * the sources' natural token shares, a regression from weights to a target loss, a search over many simulated
 * mixtures, and the average of the best as a ready {@code mix} step ({@link MixSearch}). Output: the proxy runs'
 * table (a sweep's columns plus each run's role and predicted loss).
 */
public final class MixSearchKind implements StepKind {
    public static final String NAME = "mix-search";
    static final Param<List<String>> SOURCES = Param.strings(
            "sources", List.of(), "tokenize tables of one tokenizer, the mixture's sources; required (at least 2)");
    static final Param<Object> BASE = Param.structured(
            "base",
            "map: pretrain setting → value",
            "the proxy model and training settings of every run (layers, d_model, steps, …)");
    static final Param<Integer> RUNS =
            Param.integer("runs", 32, 4, 100_000, "proxy runs on random mixtures (the regression's data)");
    static final Param<Integer> HELD_OUT_RUNS = Param.integer(
            "held_out_runs", 8, 2, 100_000, "of those, the last ones scored by a regression fitted on the others");
    static final Param<Double> CONCENTRATION = Param.optionalNumber(
            "concentration",
            1e-6,
            1e6,
            "total Dirichlet concentration around the natural shares (default: the number of sources)");
    static final Param<List<String>> EVAL =
            Param.strings("eval", List.of(), "tokenize tables every run is scored on (same tokenizer); required");
    static final Param<String> TARGET =
            Param.string("target", null, "the eval table whose loss is minimised (default: the first of eval)");
    static final Param<Integer> EVAL_WINDOWS =
            Param.integer("eval_windows", 64, 1, 1 << 20, "windows of each eval table scored");
    static final Param<Double> MAX_EPOCHS = Param.number(
            "max_epochs", 4.0, 1e-6, 1e6, "a run repeats a source at most this often (as the mix step's cap)");
    static final Param<String> REGRESSION = Param.oneOf(
            "regression", "gbt", MixRegression.KINDS, "gbt (MLlib gradient-boosted trees) or linear (least squares)");
    static final Param<Integer> CANDIDATES =
            Param.integer("candidates", 100_000, 1, 100_000_000, "simulated mixtures scored by the regression");
    static final Param<Integer> TOP =
            Param.integer("top", 100, 1, 100_000_000, "best-predicted candidates averaged into the chosen weights");
    static final Param<Integer> TRUST_REGION = Param.integer(
            "trust_region",
            0,
            0,
            100_000,
            "0: score candidates from the whole prior (RegMix); K: only those within the runs' median"
                    + " nearest-neighbour distance of the K best runs (where the regression has seen data)");
    static final Param<Boolean> VALIDATE = Param.bool(
            "validate", true, "train the chosen and the natural mixture as two more runs and report both losses");
    static final Param<String> MIX_OUTPUT =
            Param.string("mix_output", null, "output of the written mix step (default: mixes/NAME)");
    static final Param<Integer> THREADS = Param.integer(
                    "threads_per_task", 1, 1, 1024, "torch threads per run (one run per Spark task)")
            .notInOutput();
    static final ParamSet PARAMS = new ParamSet(
            NAME,
            SOURCES,
            BASE,
            RUNS,
            HELD_OUT_RUNS,
            CONCENTRATION,
            EVAL,
            TARGET,
            EVAL_WINDOWS,
            MAX_EPOCHS,
            REGRESSION,
            CANDIDATES,
            TOP,
            TRUST_REGION,
            VALIDATE,
            MIX_OUTPUT,
            THREADS);

    /** Everything the search needs, parsed. */
    record Settings(
            List<String> sources,
            Object base,
            int runs,
            int heldOutRuns,
            Double concentration,
            List<String> eval,
            String target,
            int evalWindows,
            double maxEpochs,
            String regression,
            int candidates,
            int top,
            int trustRegion,
            boolean validate,
            String mixOutput,
            int threads,
            long seed) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "RegMix mixture search: proxy runs on random mixtures, a regression, the predicted best as a mix step";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        ParamValues p = spec.params();
        List<String> sources = p.get(SOURCES);
        if (sources.size() < 2 || new LinkedHashSet<>(sources).size() != sources.size()) {
            throw new IllegalArgumentException("mix-search needs at least 2 distinct sources (tokenize tables)");
        }
        List<String> eval = p.get(EVAL);
        if (eval.isEmpty()) {
            throw new IllegalArgumentException("mix-search needs eval: the tokenize tables the runs are scored on");
        }
        String target = p.get(TARGET) == null ? eval.get(0) : p.get(TARGET);
        if (!eval.contains(target)) {
            throw new IllegalArgumentException("target " + target + " is not one of the eval tables " + eval);
        }
        int runs = p.get(RUNS);
        int heldOut = p.get(HELD_OUT_RUNS);
        if (runs - heldOut < 2) {
            throw new IllegalArgumentException("runs (" + runs + ") must exceed held_out_runs (" + heldOut + ") by 2");
        }
        if (p.get(TOP) > p.get(CANDIDATES)) {
            throw new IllegalArgumentException("top must not exceed candidates");
        }
        if (p.get(BASE) != null && !(p.get(BASE) instanceof java.util.Map)) {
            throw new IllegalArgumentException("base must be a map of pretrain settings");
        }
        TableLocation output = spec.output();
        String name = output.name().substring(output.name().lastIndexOf('/') + 1);
        Settings settings = new Settings(
                sources,
                p.get(BASE),
                runs,
                heldOut,
                p.get(CONCENTRATION),
                eval,
                target,
                p.get(EVAL_WINDOWS),
                p.get(MAX_EPOCHS),
                p.get(REGRESSION),
                p.get(CANDIDATES),
                p.get(TOP),
                p.get(TRUST_REGION),
                p.get(VALIDATE),
                p.get(MIX_OUTPUT) == null ? "mixes/" + name : p.get(MIX_OUTPUT),
                p.get(THREADS),
                spec.seed());
        Set<String> tables = new LinkedHashSet<>(sources);
        tables.addAll(eval);
        List<TableLocation> inputs = new ArrayList<>();
        for (String t : tables) {
            inputs.add(spec.lake().locate(t));
        }
        return new DeclaredStep(inputs, new Output.Table(output, null), p.config(), List.of(), true) {
            @Override
            public String label(StepRun run) {
                return NAME + " " + sources.size() + " sources, " + runs + " proxy runs → " + output.name();
            }

            @Override
            public void run(StepRun run) {
                MixSearch.run(run, output, settings, label(run));
            }
        };
    }
}
