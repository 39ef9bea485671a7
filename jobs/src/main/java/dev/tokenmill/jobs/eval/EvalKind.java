package dev.tokenmill.jobs.eval;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.jobs.infer.ModelParams;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code eval} step: a checkpoint (or every checkpoint of a run) measured on a table's documents per group
 * (loss, perplexity, bits per byte), on the run's own held-out windows, and on multiple-choice tasks; one row per
 * checkpoint × dataset × group in a Delta table whose lineage names the checkpoints (step and a hash of their
 * state), the table version and the task files' hashes, so a new checkpoint or task makes the step run again.
 */
public final class EvalKind implements StepKind {
    public static final String NAME = "eval";
    static final Param<Boolean> ALL_CHECKPOINTS =
            Param.bool("all_checkpoints", false, "evaluate every kept checkpoint of the run (a curve per group)");
    static final Param<String> WHERE =
            Param.string("where", null, "SQL filter on the table's documents, e.g. \"lang = 'en' and line % 10 = 0\"");
    static final Param<List<String>> GROUP_BY =
            Param.strings("group_by", List.of(), "columns of the table to report per value of (e.g. [source, lang])");
    static final Param<Boolean> HELD_OUT =
            Param.bool("held_out", true, "also score the run's held-out windows (equals the trainer's held-out loss)");
    static final Param<List<String>> TASKS = Param.strings(
            "tasks", List.of(), "multiple-choice task files, JSONL of {context, choices, label} (acc, acc_norm)");
    static final Param<String> EOS =
            Param.string("eos", "<|endoftext|>", "the token a document follows (the first window's context)");
    static final Param<Integer> BATCH_TOKENS = Param.integer(
                    "batch_tokens",
                    512,
                    1,
                    1 << 24,
                    "input tokens per forward pass (memory: batch_tokens × vocab floats)")
            .notInOutput();
    static final ParamSet PARAMS = new ParamSet(
            NAME,
            ModelParams.CHECKPOINT,
            ModelParams.STEP,
            ALL_CHECKPOINTS,
            WHERE,
            GROUP_BY,
            HELD_OUT,
            TASKS,
            EOS,
            ModelParams.TOKENIZER,
            BATCH_TOKENS,
            ModelParams.THREADS);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "measure checkpoints: per-group loss, perplexity and bits per byte on a table, held-out loss, "
                + "multiple-choice accuracy; output: a table of results";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        EvalSettings s = new EvalSettings(
                ModelParams.checkpoint(spec.params()),
                spec.params().get(ModelParams.STEP),
                spec.params().get(ALL_CHECKPOINTS),
                spec.params().get(WHERE),
                spec.params().get(GROUP_BY),
                spec.params().get(HELD_OUT),
                spec.params().get(TASKS),
                spec.params().get(EOS),
                spec.params().get(ModelParams.TOKENIZER),
                spec.params().get(BATCH_TOKENS),
                spec.params().get(ModelParams.THREADS),
                spec.textColumn());
        if (s.step() != null && s.allCheckpoints()) {
            throw new IllegalArgumentException("give step or all_checkpoints, not both");
        }
        TableLocation input = spec.step().input() == null ? null : spec.input();
        if (input == null && !s.heldOut() && s.tasks().isEmpty()) {
            throw new IllegalArgumentException("nothing to evaluate: give an input table, held_out or tasks");
        }
        if (input == null && !s.groupBy().isEmpty()) {
            throw new IllegalArgumentException("group_by needs an input table");
        }
        TableLocation output = spec.output();
        List<String> columns = new ArrayList<>(s.groupBy());
        if (input != null) {
            columns.add(s.textColumn());
        }
        return new DeclaredStep(
                input == null ? List.of() : List.of(input),
                new Output.Table(output, null),
                spec.params().config(),
                columns,
                false) {
            private EvalJob job;

            @Override
            public List<String> files() {
                return List.of(s.checkpoint());
            }

            @Override
            public String label(StepRun run) {
                return NAME + " " + s.checkpoint()
                        + (input == null ? "" : " on " + input.name() + "@" + run.version(input)) + " → "
                        + output.name();
            }

            @Override
            public Map<String, Object> stamps(StepRun run) {
                job = new EvalJob(run.lake(), s);
                Map<String, Object> stamps = new LinkedHashMap<>();
                stamps.put("checkpoints", job.checkpointStamps());
                stamps.put("task_sha256", job.taskStamps());
                return stamps;
            }

            @Override
            public void run(StepRun run) {
                try {
                    job.run(run, input, output, label(run));
                } catch (IllegalArgumentException e) {
                    throw new dev.tokenmill.jobs.UserError(NAME + ": " + e.getMessage());
                }
            }
        };
    }
}
