package dev.tokenmill.jobs.step;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.FilesCommitter;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.LiveProgress;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.util.CodeVersion;
import dev.tokenmill.jobs.util.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one planned step the same way for every kind: pins its input tables to their latest versions, stamps its
 * other inputs, computes the fingerprint, skips the step when its output already carries that fingerprint, and
 * otherwise runs it with a {@link StepRun} whose committers write the lineage.
 */
public final class StepRuns {
    private StepRuns() {}

    public static void run(
            Lake lake,
            PrintWriter out,
            String prefix,
            String stage,
            PlannedStep step,
            long seed,
            String recipe,
            boolean force) {
        Map<String, Long> versions = new LinkedHashMap<>();
        for (TableLocation t : step.tables()) {
            lake.requireExists(t);
            versions.put(t.path(), lake.latestVersion(t));
        }
        StepRun run = new StepRun(stage, lake, out, prefix, seed, recipe, force, versions);
        Map<String, Object> config = new LinkedHashMap<>(step.config());
        try {
            config.putAll(step.stamps(run));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        List<Lineage.Input> inputs = StepRun.tableInputs(step.tables(), versions);
        String fingerprint = fingerprint(stage, config, inputs, step.columns(), step.seeded() ? seed : null);
        run.pin(fingerprint, config, inputs);
        String label = step.label(run);
        if (!force && upToDate(lake, step.output(), fingerprint)) {
            Output o = step.output();
            String at = o instanceof Output.Table t ? "@" + lake.latestVersion(t.table()) : "";
            run.say(label + at + ": up to date");
            return;
        }
        run.say(label + " ...");
        // the step names its Spark jobs: the UI's job list and the event log say which step ran them
        var sc = lake.spark().sparkContext();
        sc.setJobDescription(stage + " | " + label);
        try {
            if (OWN_PROGRESS.contains(stage)) {
                step.run(run);
                return;
            }
            try (LiveProgress progress = LiveProgress.start(sc, (prefix + stage).strip())) {
                step.run(run);
            }
        } finally {
            sc.setJobDescription(null);
        }
    }

    /** Steps that print their own progress lines (training steps, runs done of a sweep). */
    private static final java.util.Set<String> OWN_PROGRESS = java.util.Set.of("pretrain", "sweep", "mix-search");

    /**
     * The fingerprint: the kind, its config (with stamps), the input tables as (lake name, version), the columns
     * read, the seed where it matters and the code version. Lake-relative names keep a copied lake up to date.
     */
    static String fingerprint(
            String stage, Map<String, Object> config, List<Lineage.Input> inputs, List<String> columns, Long seed) {
        Map<String, Object> fp = new LinkedHashMap<>();
        fp.put("stage", stage);
        fp.put("config", config);
        fp.put(
                "inputs",
                inputs.stream().map(in -> List.of(in.table(), in.version())).toList());
        fp.put("columns", columns);
        fp.put("seed", seed);
        fp.put("code_version", CodeVersion.get());
        return Json.fingerprint(fp);
    }

    private static boolean upToDate(Lake lake, Output output, String fingerprint) {
        if (output instanceof Output.Table t) {
            if (!lake.exists(t.table())) {
                return false;
            }
            Lineage latest = lake.latestLineage(t.table());
            return latest != null && fingerprint.equals(latest.fingerprint());
        }
        if (output instanceof Output.Files f) {
            return fingerprint.equals(FilesCommitter.recordedFingerprint(lake, f.lineage(), f.artifact()));
        }
        return false; // a training run resumes from its checkpoints: the step itself knows what is left
    }
}
