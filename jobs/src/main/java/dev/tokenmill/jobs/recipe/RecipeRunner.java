package dev.tokenmill.jobs.recipe;

import dev.tokenmill.core.ParamValues;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRuns;
import dev.tokenmill.jobs.step.StepSpec;
import dev.tokenmill.jobs.step.Steps;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a recipe's steps and runs them in order. Planning checks every entry (kind, fields, parameters) and the
 * order of reads and writes before anything runs; running is {@link StepRuns}: the fingerprint (kind, config, input
 * versions and stamps, columns, seed, code version) is compared with the one on the step's output, equal means
 * "up to date" and the step is skipped. Because the output commit is a step's last write, a run killed at any point
 * and started again redoes only the unfinished step, and nothing is lost or written twice.
 */
public final class RecipeRunner {
    private final Lake lake;
    private final PrintWriter out;

    public RecipeRunner(Lake lake, PrintWriter out) {
        this.lake = lake;
        this.out = out;
    }

    /** A validated entry: its kind and plan. */
    private record Planned(Recipe.Step entry, StepKind kind, PlannedStep step) {}

    public void run(Recipe recipe, boolean force) {
        List<Planned> plan = plan(recipe);
        int n = plan.size();
        out.printf("recipe %s: %d stage(s), seed %d, lake %s%n", recipe.name(), n, recipe.seedOrDefault(), lake.root());
        for (int i = 0; i < n; i++) {
            Planned p = plan.get(i);
            StepRuns.run(
                    lake,
                    out,
                    "[" + (i + 1) + "/" + n + "] ",
                    p.kind().name(),
                    p.step(),
                    recipe.seedOrDefault(),
                    recipe.name(),
                    force);
        }
    }

    /** Runs one step outside a recipe (the verbs that are steps, e.g. {@code ingest}): no header, no counter. */
    public void runStep(Recipe.Step entry, long seed, boolean force) {
        Recipe recipe = new Recipe(entry.stage(), null, seed, List.of(entry));
        Planned p = plan(recipe).get(0);
        StepRuns.run(lake, out, "", p.kind().name(), p.step(), seed, null, force);
    }

    /** Checks every step before anything runs, so a typo in the last stage costs nothing. */
    private List<Planned> plan(Recipe recipe) {
        Map<String, StepKind> kinds = Steps.all();
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < recipe.stages().size(); i++) {
            Recipe.Step s = recipe.stages().get(i);
            String where = "recipe " + recipe.name() + ": stages[" + i + "] (" + s.stage() + ")";
            StepKind kind = kinds.get(s.stage());
            if (kind == null) {
                throw new UserError(where + ": unknown stage (known: " + String.join(", ", kinds.keySet()) + ")");
            }
            try {
                ParamValues params = kind.params().parse(s.params());
                plan.add(new Planned(s, kind, kind.plan(new StepSpec(s, params, lake, recipe.seedOrDefault()))));
            } catch (IllegalArgumentException e) {
                throw new UserError(where + ": " + e.getMessage());
            }
        }
        List<Dataflow.Step> flow = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            flow.add(dataflow(i, plan.get(i)));
        }
        Dataflow.check(recipe.name(), flow);
        return plan;
    }

    /** What a planned step reads and writes, for {@link Dataflow#check}. */
    private Dataflow.Step dataflow(int i, Planned p) {
        Map<String, String> reads = new LinkedHashMap<>();
        Map<String, String> writes = new LinkedHashMap<>();
        Map<String, String> shared = new LinkedHashMap<>();
        p.step().tables().forEach(t -> add(reads, t));
        p.step().files().forEach(f -> add(reads, lake.locate(f)));
        Output o = p.step().output();
        if (o instanceof Output.Table t) {
            add(writes, t.table());
        } else if (o instanceof Output.Files f) {
            add(writes, lake.locate(f.path()));
        } else if (o instanceof Output.Run r) {
            add(writes, lake.locate(r.path()));
        }
        p.step().sharedWrites().forEach(t -> shared.put(t.path().replaceAll("/+$", ""), t.name()));
        return new Dataflow.Step("stages[" + i + "] (" + p.entry().stage() + ")", reads, writes, shared);
    }

    private static void add(Map<String, String> into, TableLocation t) {
        into.put(t.path().replaceAll("/+$", ""), t.name());
    }
}
