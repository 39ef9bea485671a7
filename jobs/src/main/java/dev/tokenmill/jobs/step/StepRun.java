package dev.tokenmill.jobs.step;

import dev.tokenmill.jobs.lake.DeltaWrites;
import dev.tokenmill.jobs.lake.FilesCommitter;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.StageCommitter;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.util.CodeVersion;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One execution of a planned step, handed to it by the runner: the pinned input versions, the fingerprint and
 * config the runner computed, the user's output, and the two committers that write the lineage (table; files +
 * lineage JSON). A step never builds a fingerprint or a {@link Lineage} itself.
 */
public final class StepRun {
    private final String stage;
    private final Lake lake;
    private final PrintWriter out;
    private final String prefix;
    private final long seed;
    private final String recipe;
    private final boolean force;
    private final Map<String, Long> versions;
    private final Instant started = Instant.now();
    private final long t0 = System.nanoTime();
    private String fingerprint;
    private Map<String, Object> config;
    private List<Lineage.Input> inputs;

    StepRun(
            String stage,
            Lake lake,
            PrintWriter out,
            String prefix,
            long seed,
            String recipe,
            boolean force,
            Map<String, Long> versions) {
        this.stage = stage;
        this.lake = lake;
        this.out = out;
        this.prefix = prefix;
        this.seed = seed;
        this.recipe = recipe;
        this.force = force;
        this.versions = versions;
    }

    void pin(String fingerprint, Map<String, Object> config, List<Lineage.Input> inputs) {
        this.fingerprint = fingerprint;
        this.config = config;
        this.inputs = inputs;
    }

    public Lake lake() {
        return lake;
    }

    public long seed() {
        return seed;
    }

    public String recipe() {
        return recipe;
    }

    public boolean force() {
        return force;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** The config the fingerprint was made of (parameters, resolved values and stamps). */
    public Map<String, Object> config() {
        return config;
    }

    public List<Lineage.Input> inputs() {
        return inputs;
    }

    /** The version of an input table this run reads (pinned when it started). */
    public long version(TableLocation table) {
        Long v = versions.get(table.path());
        if (v == null) {
            throw new IllegalStateException(table.name() + " is not an input of this step");
        }
        return v;
    }

    /** An input table at its pinned version. */
    public Dataset<Row> read(TableLocation table) {
        return lake.read(table, version(table));
    }

    /** A line under the step's own lines. */
    public void note(String line) {
        out.println(prefix + "  " + line);
        out.flush();
    }

    /** The step's result line. */
    public void say(String line) {
        out.println(prefix + line);
        out.flush();
    }

    public double seconds() {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** What lineage needs that the runner knows before the data is computed, for the stage committer. */
    public StageCommitter.Draft draft(String idColumn, String textColumn, List<String> rejectingStages) {
        return new StageCommitter.Draft(
                stage, fingerprint, inputs, config, seed, recipe, idColumn, textColumn, rejectingStages);
    }

    /**
     * The table committer: writes {@code rows} as a new version of the output table with the lineage (the config
     * plus {@code results}, the row counts and counters). Returns the lineage.
     */
    public Lineage commitTable(
            TableLocation output,
            Dataset<Row> rows,
            long rowsIn,
            long rowsOut,
            Map<String, Long> counters,
            Map<String, Object> results) {
        Map<String, Object> cfg = new LinkedHashMap<>(config);
        cfg.putAll(results);
        Lineage lineage = new Lineage(
                Lineage.FORMAT,
                stage,
                fingerprint,
                inputs,
                output.name(),
                null,
                cfg,
                CodeVersion.get(),
                seed,
                recipe,
                rowsIn,
                rowsOut,
                0,
                Map.of(),
                counters,
                started.toString(),
                (System.nanoTime() - t0) / 1_000_000);
        DeltaWrites.overwrite(rows, output, lineage.toJson(), 0);
        return lineage;
    }

    /** The files committer: the lineage JSON beside the files the step wrote, with {@code results} (sizes, SHA-256). */
    public void commitFiles(Output output, Map<String, Object> results) {
        String lineageFile;
        if (output instanceof Output.Files f) {
            lineageFile = f.lineage();
        } else if (output instanceof Output.Run r) {
            lineageFile = r.lineage();
        } else {
            throw new IllegalStateException("a table output is committed with commitTable");
        }
        FilesCommitter.write(
                lake,
                lineageFile,
                FilesCommitter.lineage(
                        stage,
                        fingerprint,
                        inputs,
                        output.name(),
                        config,
                        seed,
                        recipe,
                        started,
                        (System.nanoTime() - t0) / 1_000_000,
                        results));
    }

    /** The lineage inputs for tables plus any extra (raw files). */
    static List<Lineage.Input> tableInputs(List<TableLocation> tables, Map<String, Long> versions) {
        List<Lineage.Input> inputs = new ArrayList<>();
        for (TableLocation t : tables) {
            inputs.add(Lineage.Input.table(t.name(), t.path(), versions.get(t.path())));
        }
        return inputs;
    }
}
