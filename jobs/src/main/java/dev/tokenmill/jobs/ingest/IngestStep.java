package dev.tokenmill.jobs.ingest;

import dev.tokenmill.core.ParamSet;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.recipe.IngestCli;
import dev.tokenmill.jobs.recipe.IngestReport;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepRuns;
import dev.tokenmill.jobs.step.StepSpec;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ingest} step: raw files → {@code raw/SOURCE} (+ {@code quarantine/SOURCE}). Its settings are fields of
 * the recipe entry (source, input, format, text_field, id_field, columns, per_line), the same as the verb's flags;
 * the listing of the input files (name, size, modification time) is stamped into the fingerprint, so unchanged
 * files are up to date and a changed one is read again.
 */
public final class IngestStep implements StepKind {
    public static final String NAME = "ingest";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "raw files (jsonl[.gz|.zst], parquet, text, tsv; local or s3a://) → raw/SOURCE + quarantine/SOURCE "
                + "(fields: source, input, format, text_field, id_field, columns, per_line)";
    }

    @Override
    public ParamSet params() {
        return new ParamSet(NAME);
    }

    /**
     * One ingest through the runner (fingerprint, up to date, lineage) for code that wants its counts: benchmarks,
     * tests. An unchanged input gives a result with {@code upToDate} and no counts.
     */
    public static IngestJob.Result ingest(Lake lake, IngestOptions options, boolean force, long seed) {
        Planned planned = new Planned(
                options, lake.locate("raw/" + options.source()), lake.locate("quarantine/" + options.source()));
        StepRuns.run(lake, new PrintWriter(Writer.nullWriter()), "", NAME, planned, seed, null, force);
        if (planned.result != null) {
            return planned.result;
        }
        return new IngestJob.Result(
                planned.prepared.files().size(), 0, 0, 0, 0, 0, Map.of(), lake.latestVersion(planned.raw), true);
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        var s = spec.step();
        spec.required("source", s.source());
        spec.required("input", s.input());
        spec.refuse("output", s.output(), "ingest writes raw/SOURCE");
        IngestOptions options = IngestCli.options(
                s.source(),
                s.input(),
                s.format(),
                s.textField(),
                s.idField(),
                s.columns(),
                Boolean.TRUE.equals(s.perLine()));
        return new Planned(
                options,
                spec.lake().locate("raw/" + options.source()),
                spec.lake().locate("quarantine/" + options.source()));
    }

    private static final class Planned extends DeclaredStep {
        private final IngestOptions options;
        private final TableLocation raw;
        private final TableLocation quarantine;
        private IngestJob.Prepared prepared;
        private IngestJob.Result result;

        Planned(IngestOptions options, TableLocation raw, TableLocation quarantine) {
            super(List.of(), new Output.Table(raw, null), options.config(), List.of(), false);
            this.options = options;
            this.raw = raw;
            this.quarantine = quarantine;
        }

        @Override
        public List<TableLocation> sharedWrites() {
            return List.of(quarantine);
        }

        @Override
        public String label(StepRun run) {
            return NAME + " " + options.source() + " → " + raw.name();
        }

        @Override
        public Map<String, Object> stamps(StepRun run) {
            prepared = new IngestJob(run.lake()).prepare(options);
            Map<String, Object> stamps = new LinkedHashMap<>(prepared.options().config()); // the format resolved
            stamps.put("files", prepared.listing());
            return stamps;
        }

        @Override
        public void run(StepRun run) {
            result = new IngestJob(run.lake())
                    .write(prepared, run.fingerprint(), run.config(), run.seed(), run.recipe());
            run.say(IngestReport.line(options.source(), result, run.seconds()));
        }
    }
}
