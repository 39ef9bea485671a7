package dev.tokenmill.jobs.mixing;

import dev.tokenmill.core.ParamSet;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepSpec;
import dev.tokenmill.jobs.tokenizer.Tokenize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code mix} step: a weighted, seeded mixture of tables ({@link MixStep} has the parameters, {@link Mix} the work). */
public final class MixKind implements StepKind {
    public static final String NAME = "mix";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a weighted, seeded mixture of tables by tokens, characters or documents, with phases and curricula";
    }

    @Override
    public ParamSet params() {
        return MixStep.PARAMS;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        spec.refuse("input", spec.step().input(), "mix takes its tables from params.sources");
        MixStep step = MixStep.parse(spec.params());
        TableLocation output = spec.output();
        List<TableLocation> tables = new ArrayList<>();
        step.sources().forEach(s -> tables.add(spec.lake().locate(s.table())));
        Map<String, Object> config = step.describe();
        String idColumn = spec.idColumn();
        String textColumn = spec.textColumn();
        return new DeclaredStep(tables, new Output.Table(output, null), config, List.of(idColumn, textColumn), true) {
            private Tokenize.Tokenizer tokenizer;

            @Override
            public List<String> files() {
                return step.tokenizer() == null
                        ? List.of()
                        : List.of(step.tokenizer().replaceAll("/tokenizer\\.json$", ""));
            }

            @Override
            public String label(StepRun run) {
                return NAME + " " + tables.size() + (tables.size() == 1 ? " source" : " sources") + " → "
                        + output.name();
            }

            @Override
            public Map<String, Object> stamps(StepRun run) {
                if (step.tokenizer() == null) {
                    return Map.of();
                }
                tokenizer = Tokenize.tokenizer(run.lake(), step.tokenizer());
                return Map.of("tokenizer_sha256", tokenizer.sha256());
            }

            @Override
            public void run(StepRun run) {
                List<Mix.Resolved> sources = new ArrayList<>();
                for (int i = 0; i < tables.size(); i++) {
                    sources.add(new Mix.Resolved(step.sources().get(i), tables.get(i), run.version(tables.get(i))));
                }
                Lineage l = Mix.run(
                        run.lake(),
                        sources,
                        step,
                        tokenizer,
                        idColumn,
                        textColumn,
                        run.seed(),
                        (rows, in, out, counters, results) ->
                                run.commitTable(output, rows, in, out, counters, results));
                run.say(String.format(
                        "%s@%d: %,d documents, %,.0f %s (%.1f s)",
                        label(run),
                        run.lake().latestVersion(output),
                        l.counters().get("documents"),
                        (double) l.counters().get("units"),
                        step.unit(),
                        run.seconds()));
                for (String line : MixReport.lines(l)) {
                    run.note(line);
                }
            }
        };
    }
}
