package dev.tokenmill.jobs.step;

import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.LakeResources;
import dev.tokenmill.jobs.lake.LakeSideTables;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.Sessions;
import dev.tokenmill.jobs.lake.StageCommitter;
import dev.tokenmill.jobs.lake.TableLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A library stage ({@link StageFactory}: normalize, filter, dedup-fuzzy, ...) as a recipe step: an input table in,
 * the kept rows as a new version of the output table and the dropped ones added to the rejected table
 * ({@code rejected/<last part of output>} unless the entry names one), through the stage committer.
 */
public final class TransformStep implements StepKind {
    private final StageFactory factory;

    public TransformStep(StageFactory factory) {
        this.factory = factory;
    }

    @Override
    public String name() {
        return factory.name();
    }

    @Override
    public String description() {
        return factory.description();
    }

    @Override
    public ParamSet params() {
        return factory.params();
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        Stage stage = factory.create(spec.params());
        TableLocation output = spec.output();
        String rejected = spec.step().rejected() != null
                ? spec.step().rejected()
                : "rejected/" + lastSegment(spec.step().output());
        return new Planned(
                stage, spec.input(), output, spec.lake().locate(rejected), spec.idColumn(), spec.textColumn());
    }

    private static String lastSegment(String name) {
        String trimmed = name.replaceAll("/+$", "");
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static final class Planned extends DeclaredStep {
        private final Stage stage;
        private final TableLocation input;
        private final TableLocation output;
        private final TableLocation rejected;
        private final String idColumn;
        private final String textColumn;
        private StageContext context;

        Planned(
                Stage stage,
                TableLocation input,
                TableLocation output,
                TableLocation rejected,
                String idColumn,
                String textColumn) {
            super(
                    List.of(input),
                    new Output.Table(output, rejected),
                    stage.config(),
                    List.of(idColumn, textColumn),
                    true);
            this.stage = stage;
            this.input = input;
            this.output = output;
            this.rejected = rejected;
            this.idColumn = idColumn;
            this.textColumn = textColumn;
        }

        @Override
        public List<TableLocation> sharedWrites() {
            return List.of(rejected);
        }

        @Override
        public String label(StepRun run) {
            return stage.name() + " " + input.name() + "@" + run.version(input) + " → " + output.name();
        }

        @Override
        public Map<String, Object> stamps(StepRun run) {
            context = new StageContext(
                    run.lake().spark(), run.seed(), idColumn, textColumn, new LakeResources(run.lake()));
            Map<String, String> external = stage.externalInputs(context);
            return external.isEmpty() ? Map.of() : Map.of("external_inputs", new TreeMap<>(external));
        }

        @Override
        public void run(StepRun run) {
            Dataset<Row> rows = run.read(input);
            for (String column : List.of(idColumn, textColumn)) {
                if (!List.of(rows.columns()).contains(column)) {
                    throw new UserError("stage " + stage.name() + ": table " + input.name() + " has no column '"
                            + column + "' (columns: " + String.join(", ", rows.columns()) + ")");
                }
            }
            StageCommitter.Draft draft = run.draft(idColumn, textColumn, stage.rejectingStages());
            LakeSideTables side = new LakeSideTables(run.lake(), draft);
            context.withSideTables(side);
            Sessions.balanceSplits(run.lake().spark()); // the input read is planned with the cores there are now
            Lineage lineage;
            try {
                Dataset<Row> tagged;
                try {
                    tagged = stage.apply(rows, context);
                } catch (IllegalArgumentException e) {
                    // a stage's setup mistake found while planning its work (a missing model file, a clashing column)
                    throw new UserError(e.getMessage());
                }
                if (!side.reads().isEmpty() || !side.writes().isEmpty()) {
                    List<Lineage.Input> all = new ArrayList<>(draft.inputs());
                    all.addAll(side.reads());
                    Map<String, Object> withWrites = new LinkedHashMap<>(draft.config());
                    withWrites.put("side_tables_written", side.writes());
                    draft = new StageCommitter.Draft(
                            draft.stage(),
                            draft.fingerprint(),
                            all,
                            withWrites,
                            draft.seed(),
                            draft.recipe(),
                            idColumn,
                            textColumn,
                            draft.rejectingStages());
                }
                lineage =
                        new StageCommitter(run.lake()).commit(tagged, draft, output, rejected, context::counterValues);
            } finally {
                context.releasePersisted();
            }
            context.notes().forEach(run::note);
            // a stage that adds rows (augment) counts them: "in" is then what came in, not what was tagged
            long added = lineage.counters().getOrDefault("copies", 0L);
            run.say(String.format(
                    "%s@%d: %,d in, %,d kept, %,d rejected%s%s (%.1f s)",
                    label(run),
                    run.lake().latestVersion(output),
                    lineage.rowsIn() - added,
                    lineage.rowsOut(),
                    lineage.rowsRejected(),
                    lineage.rejectedByRule().isEmpty() ? "" : " " + lineage.rejectedByRule(),
                    added > 0 ? String.format(", %,d of the kept rows are new copies", added) : "",
                    run.seconds()));
        }
    }
}
