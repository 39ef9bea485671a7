package dev.tokenmill.jobs.train;

import dev.tokenmill.core.ParamSet;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code pretrain} step: a packed table in, a run folder out ({@link Pretrain}). A run resumes rather than
 * restarts, so the step always runs and its checkpoints decide what is left (a finished run is up to date); the
 * lineage JSON in the run folder is written when it finishes.
 */
public final class PretrainKind implements StepKind {
    public static final String NAME = "pretrain";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "train a Llama-style decoder on a tokenize table, dp × pp ranks in a Spark barrier stage; output: a run folder";
    }

    @Override
    public ParamSet params() {
        return PretrainStep.PARAMS;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        PretrainStep step = PretrainStep.of(spec.params(), spec.seed());
        TableLocation input = spec.input();
        TableLocation folder = spec.output();
        Output.Run output = new Output.Run(folder.name(), folder.path(), folder.path() + "/tokenmill-lineage.json");
        Map<String, Object> config = spec.params().config();
        return new DeclaredStep(List.of(input), output, config, List.of(), true) {
            @Override
            public String label(StepRun run) {
                return NAME + " " + input.name() + "@" + run.version(input) + " → "
                        + spec.step().output();
            }

            @Override
            public void run(StepRun run) {
                Pretrain.Outcome r = Pretrain.run(
                        run.lake(),
                        input,
                        run.version(input),
                        step,
                        spec.step().output(),
                        run.seed(),
                        run.force(),
                        false,
                        false,
                        run::note);
                Map<String, Object> results = new LinkedHashMap<>();
                results.put("parameters", r.parameters());
                results.put("last_step", r.toStep());
                results.put("final_loss", r.finalLoss());
                results.put("eval_loss", Double.isNaN(r.evalLoss()) ? null : r.evalLoss());
                if (!r.upToDate()) {
                    run.commitFiles(output, results);
                }
                run.say(label(run) + ": " + PretrainReport.line(r, run.seconds()));
            }
        };
    }
}
