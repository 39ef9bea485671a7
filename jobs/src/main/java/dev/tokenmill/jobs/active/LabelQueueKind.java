package dev.tokenmill.jobs.active;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.jobs.lake.LakeResources;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepSpec;
import dev.tokenmill.quality.active.LabelQueue.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code label-queue} step: the next documents a person should label for the quality classifier, picked from
 * a table by an active-learning strategy, appended as a round to a {@code labels/NAME} table and written as JSONL
 * and CSV labelling files. Its fingerprint holds the model's listing and the labels table's last version written
 * by anything else (an import), so a rerun without new labels or a new model is up to date, not another round.
 */
public final class LabelQueueKind implements StepKind {
    public static final String NAME = "label-queue";
    static final List<String> STRATEGIES = List.of("uncertainty", "margin", "entropy", "diverse", "random");
    static final Param<String> MODEL =
            Param.string("model", null, "quality classifier folder from train-quality-model (required)");
    static final Param<Integer> N = Param.integer("n", 200, 1, 1_000_000, "documents to queue this round");
    static final Param<String> STRATEGY = Param.oneOf(
            "strategy",
            "uncertainty",
            STRATEGIES,
            "uncertainty: P(good) nearest ½ (for two classes margin and entropy rank the same); diverse: the 5·n "
                    + "most uncertain thinned by k-center over hashed n-grams; random: the baseline");
    static final Param<String> STRATIFY_BY = Param.string(
            "stratify_by",
            null,
            "column (or SQL expression) whose values share the round in proportion to their pool sizes, e.g. source");
    static final Param<String> WHERE = Param.string("where", null, "SQL filter on the pool, e.g. \"lang = 'en'\"");
    static final Param<Integer> EXCERPT_CHARS =
            Param.integer("excerpt_chars", 1000, 20, 1_000_000, "characters of each document the files show");
    static final Param<String> FILES = Param.string(
            "files", null, "folder of the labelling files round-K.jsonl / round-K.csv (default label-files/NAME)");
    static final ParamSet PARAMS = new ParamSet(NAME, MODEL, N, STRATEGY, STRATIFY_BY, WHERE, EXCERPT_CHARS, FILES);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "active learning: the documents to label next for the quality classifier (uncertainty, diverse, "
                + "random …); output: a labels table plus JSONL/CSV labelling files";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        String model = spec.params().get(MODEL);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("give model: the quality classifier to score the pool with");
        }
        TableLocation pool = spec.input();
        TableLocation output = spec.output();
        String outputName = output.name().replaceAll("/+$", "");
        String files = spec.params().get(FILES) != null
                ? spec.params().get(FILES)
                : "label-files/" + outputName.substring(outputName.lastIndexOf('/') + 1);
        LabelQueueJob.Settings s = new LabelQueueJob.Settings(
                model,
                spec.params().get(N),
                Strategy.valueOf(spec.params().get(STRATEGY).toUpperCase(Locale.ROOT)),
                spec.params().get(STRATIFY_BY),
                spec.params().get(WHERE),
                spec.params().get(EXCERPT_CHARS),
                files,
                spec.textColumn(),
                spec.idColumn());
        Map<String, Object> config = new LinkedHashMap<>(spec.params().config());
        config.put("files", files);
        List<String> columns = new ArrayList<>(List.of(s.idColumn(), s.textColumn()));
        return new DeclaredStep(List.of(pool), new Output.Table(output, null), config, columns, true) {
            @Override
            public List<String> files() {
                return List.of(model);
            }

            @Override
            public String label(StepRun run) {
                return NAME + " " + pool.name() + "@" + run.version(pool) + " → " + output.name();
            }

            @Override
            public Map<String, Object> stamps(StepRun run) {
                Map<String, Object> stamps = new LinkedHashMap<>();
                stamps.put("model_stamp", new LakeResources(run.lake()).stamp(model));
                stamps.put("labels_basis", LabelsTable.basis(run.lake(), output, NAME));
                return stamps;
            }

            @Override
            public void run(StepRun run) {
                LabelQueueJob.run(run, pool, output, s, label(run));
            }
        };
    }
}
