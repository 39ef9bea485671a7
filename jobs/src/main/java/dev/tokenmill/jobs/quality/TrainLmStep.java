package dev.tokenmill.jobs.quality;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepSpec;
import java.util.List;
import java.util.Map;

/** The {@code train-lm} step: a Kneser-Ney word n-gram model from a table, for the {@code score} stage's perplexity. */
public final class TrainLmStep implements StepKind {
    public static final String NAME = "train-lm";
    static final Param<String> WHERE = Param.string("where", null, "SQL filter on the input, e.g. \"lang = 'en'\"");
    static final Param<Integer> ORDER = Param.integer("order", 4, 2, 6, "n-gram order");
    static final ParamSet PARAMS = new ParamSet(NAME, WHERE, ORDER);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a Kneser-Ney word n-gram model from a table (written to output, a file) for the score stage's perplexity";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        TableLocation input = spec.input();
        TableLocation model = spec.output();
        String where = spec.params().get(WHERE);
        int order = spec.params().get(ORDER);
        Map<String, Object> config = spec.params().config();
        String textColumn = spec.textColumn();
        Output.Files output =
                new Output.Files(model.name(), model.path(), model.path(), model.path() + ".lineage.json");
        return new DeclaredStep(List.of(input), output, config, List.of(textColumn), false) {
            @Override
            public String label(StepRun run) {
                return NAME + " " + input.name() + "@" + run.version(input) + " → " + model.name();
            }

            @Override
            public void run(StepRun run) {
                LmTraining.Result r =
                        LmTraining.train(run.lake(), input, run.version(input), where, textColumn, order, model.path());
                run.commitFiles(output, r.results());
                run.say(label(run) + ": " + order + "-gram model, " + r.summary(order));
            }
        };
    }
}
