package dev.tokenmill.notebooks;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.tokenmill.jobs.Main;
import dev.tokenmill.jobs.dedup.ClusterTables;
import dev.tokenmill.jobs.lake.Commit;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.Sessions;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.lake.TableSpec;
import dev.tokenmill.jobs.mixing.MixReport;
import dev.tokenmill.jobs.report.Charts;
import dev.tokenmill.jobs.report.LakeTables;
import dev.tokenmill.jobs.tokenizer.Tokenize;
import dev.tokenmill.jobs.train.LossCurve;
import dev.tokenmill.jobs.train.RunCheckpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jfree.chart.JFreeChart;

/**
 * What the notebooks call: the lake, its tables, versions, lineage and diffs as Spark Datasets (so a cell can keep
 * querying them), and charts as JFreeChart objects (the kernel shows them as PNGs).
 */
public final class Nb {
    private Nb() {}

    /**
     * The lake the notebooks look at: {@code $TOKENMILL_LAKE}, else {@code lake/} of the checkout (where
     * {@code bin/tokenmill demo} writes), on a local Spark session with Delta.
     */
    public static Lake lake() {
        String root = System.getenv("TOKENMILL_LAKE");
        if (root == null || root.isBlank()) {
            String home = System.getProperty("tokenmill.home", System.getenv().getOrDefault("TOKENMILL_HOME", "."));
            root = Path.of(home, "lake").toAbsolutePath().normalize().toString();
        }
        if (!root.contains("://") && !Files.isDirectory(Path.of(root))) {
            throw new IllegalStateException(
                    "no lake at " + root + ": run bin/tokenmill demo first, or set TOKENMILL_LAKE");
        }
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.sql.shuffle.partitions", "4");
        conf.put(
                "spark.sql.warehouse.dir",
                Path.of(System.getProperty("java.io.tmpdir"), "tokenmill-notebook-warehouse")
                        .toUri()
                        .toString());
        if (Sessions.active()) {
            conf.remove("spark.sql.warehouse.dir"); // a static setting: only a new session takes it
        }
        return new Lake(Sessions.getOrCreate("local[*]", conf), root);
    }

    /**
     * Spark SQL over the lake's tables by their lake names, dots for slashes ({@code from rejected.europarl},
     * {@code from clean.europarl@0}); what a {@code %%sql} cell runs.
     */
    public static Dataset<Row> sql(String query) {
        return dev.tokenmill.jobs.lake.LakeSql.query(lake(), query);
    }

    /** A table at {@code NAME} (latest version) or {@code NAME@VERSION} (time travel). */
    public static Dataset<Row> read(Lake lake, String spec) {
        TableSpec s = TableSpec.parse(spec);
        TableLocation t = lake.locate(s.name());
        lake.requireExists(t);
        return lake.read(t, lake.resolveVersion(t, s.version()));
    }

    /** One row per table at its latest version: the stage that wrote it and how many rows went where. */
    public static Dataset<Row> tables(Lake lake) {
        List<Row> rows = new ArrayList<>();
        for (LakeTables.Entry e : LakeTables.latest(lake)) {
            Lineage l = e.lineage();
            rows.add(RowFactory.create(
                    e.table(),
                    e.version(),
                    l == null ? null : l.stage(),
                    l == null ? null : l.rowsIn(),
                    l == null ? null : l.rowsOut(),
                    l == null ? null : l.rowsRejected(),
                    l == null ? null : l.startedAt()));
        }
        return frame(
                lake.spark(),
                rows,
                new StructType()
                        .add("table", DataTypes.StringType)
                        .add("version", DataTypes.LongType)
                        .add("stage", DataTypes.StringType)
                        .add("rows_in", DataTypes.LongType)
                        .add("rows_out", DataTypes.LongType)
                        .add("rows_rejected", DataTypes.LongType)
                        .add("started_at", DataTypes.StringType));
    }

    /** Every version of a table, newest first, with the lineage each commit recorded. */
    public static Dataset<Row> history(Lake lake, String table) {
        TableLocation t = lake.locate(TableSpec.parse(table).name());
        lake.requireExists(t);
        List<Row> rows = new ArrayList<>();
        for (Commit c : lake.history(t)) {
            Lineage l = c.lineage();
            rows.add(RowFactory.create(
                    c.version(),
                    c.timestamp(),
                    c.operation(),
                    l == null ? null : l.stage(),
                    l == null ? null : inputs(l),
                    l == null ? null : l.rowsIn(),
                    l == null ? null : l.rowsOut(),
                    l == null ? null : l.rowsRejected(),
                    l == null ? null : l.recipe(),
                    l == null ? null : l.codeVersion()));
        }
        return frame(
                lake.spark(),
                rows,
                new StructType()
                        .add("version", DataTypes.LongType)
                        .add("timestamp", DataTypes.StringType)
                        .add("operation", DataTypes.StringType)
                        .add("stage", DataTypes.StringType)
                        .add("inputs", DataTypes.StringType)
                        .add("rows_in", DataTypes.LongType)
                        .add("rows_out", DataTypes.LongType)
                        .add("rows_rejected", DataTypes.LongType)
                        .add("recipe", DataTypes.StringType)
                        .add("code_version", DataTypes.StringType));
    }

    /**
     * The chain of versions behind {@code TABLE[@VERSION]}, back to the raw files: one row per table version with
     * its depth (0 = the table asked for), the stage that wrote it and the inputs it read.
     */
    public static Dataset<Row> lineage(Lake lake, String spec) {
        TableSpec s = TableSpec.parse(spec);
        TableLocation start = lake.locate(s.name());
        lake.requireExists(start);
        List<Row> rows = new ArrayList<>();
        record Step(String table, long version, int depth) {}
        Deque<Step> todo =
                new ArrayDeque<>(List.of(new Step(start.name(), lake.resolveVersion(start, s.version()), 0)));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Step step = todo.poll();
            if (!seen.add(step.table() + "@" + step.version())) {
                continue;
            }
            Lineage l = lake.lineageAt(lake.locate(step.table()), step.version());
            rows.add(RowFactory.create(
                    step.depth(),
                    step.table(),
                    step.version(),
                    l == null ? null : l.stage(),
                    l == null ? null : l.rowsOut(),
                    l == null ? null : inputs(l)));
            if (l != null && l.inputs() != null) {
                for (Lineage.Input in : l.inputs()) {
                    if (in.table() != null && in.version() != null) {
                        todo.add(new Step(in.table(), in.version(), step.depth() + 1));
                    }
                }
            }
        }
        return frame(
                lake.spark(),
                rows,
                new StructType()
                        .add("depth", DataTypes.IntegerType)
                        .add("table", DataTypes.StringType)
                        .add("version", DataTypes.LongType)
                        .add("stage", DataTypes.StringType)
                        .add("rows", DataTypes.LongType)
                        .add("inputs", DataTypes.StringType));
    }

    /**
     * Rows added, removed and changed between two versions of a table, matched by {@code id}: {@code change},
     * {@code id}, and the text (or, without a text column, the whole row as JSON) before and after.
     */
    public static Dataset<Row> diff(Lake lake, String table, long from, long to) {
        TableLocation t = lake.locate(TableSpec.parse(table).name());
        lake.requireExists(t);
        Dataset<Row> a = lake.read(t, lake.resolveVersion(t, from));
        Dataset<Row> b = lake.read(t, lake.resolveVersion(t, to));
        if (!List.of(a.columns()).contains("id") || !List.of(b.columns()).contains("id")) {
            throw new IllegalArgumentException(
                    t.name() + " has no id column in both versions: diff matches rows by id");
        }
        Dataset<Row> ka = keyed(a).toDF("a_id", "a_hash", "a_text");
        Dataset<Row> kb = keyed(b).toDF("b_id", "b_hash", "b_text");
        Column change = when(col("a_id").isNull(), lit("added"))
                .when(col("b_id").isNull(), lit("removed"))
                .otherwise(lit("changed"));
        return ka.join(kb, ka.col("a_id").equalTo(kb.col("b_id")), "full_outer")
                .filter(col("a_id")
                        .isNull()
                        .or(col("b_id").isNull())
                        .or(col("a_hash").notEqual(col("b_hash"))))
                .select(
                        change.as("change"),
                        coalesce(col("a_id"), col("b_id")).as("id"),
                        col("a_text").as("before"),
                        col("b_text").as("after"))
                .orderBy(col("change"), col("id"));
    }

    private static Dataset<Row> keyed(Dataset<Row> df) {
        Column[] all =
                List.of(df.columns()).stream().map(c -> col("`" + c + "`")).toArray(Column[]::new);
        Column whole = to_json(struct(all));
        Column text = List.of(df.columns()).contains("text") ? col("text").cast("string") : whole;
        return df.select(col("id").cast("string"), sha2(whole, 256), text);
    }

    /**
     * Documents in, kept and dropped by each stage's main output, in the order the stages ran; mix and tokenize (kind
     * "changes units") have rows in and out but no kept share or drops.
     */
    public static Dataset<Row> funnel(Lake lake) {
        List<Row> rows = new ArrayList<>();
        int step = 0;
        for (LakeTables.Entry e : LakeTables.stageOutputs(LakeTables.latest(lake))) {
            Lineage l = e.lineage();
            boolean reshapes = e.changesUnits(); // mix, tokenize, eval, generate, sweep: rows out are not "kept"
            rows.add(RowFactory.create(
                    ++step,
                    l.stage(),
                    e.table() + "@" + e.version(),
                    reshapes ? "changes units" : "drops",
                    l.rowsIn(),
                    l.rowsOut(),
                    reshapes ? null : l.rowsRejected(),
                    reshapes ? null : 100.0 * l.rowsOut() / Math.max(1, l.rowsIn()),
                    l.rejectedByRule() == null ? "" : l.rejectedByRule().toString()));
        }
        return frame(
                lake.spark(),
                rows,
                new StructType()
                        .add("step", DataTypes.IntegerType)
                        .add("stage", DataTypes.StringType)
                        .add("output", DataTypes.StringType)
                        .add("kind", DataTypes.StringType)
                        .add("rows_in", DataTypes.LongType)
                        .add("kept", DataTypes.LongType)
                        .add("dropped", DataTypes.LongType)
                        .add("kept_pct", DataTypes.DoubleType)
                        .add("dropped_by_rule", DataTypes.StringType));
    }

    /** What the commit of {@code TABLE[@VERSION]} recorded (null for a table no tokenmill stage wrote). */
    public static Lineage lineageOf(Lake lake, String spec) {
        TableSpec s = TableSpec.parse(spec);
        TableLocation t = lake.locate(s.name());
        lake.requireExists(t);
        return lake.lineageAt(t, lake.resolveVersion(t, s.version()));
    }

    /** The first table a stage read to write {@code TABLE[@VERSION]}, as {@code NAME@VERSION}. */
    public static String input(Lake lake, String spec) {
        TableSpec s = TableSpec.parse(spec);
        TableLocation t = lake.locate(s.name());
        lake.requireExists(t);
        Lineage l = lake.lineageAt(t, lake.resolveVersion(t, s.version()));
        if (l == null || l.inputs() == null) {
            throw new IllegalArgumentException(spec + " has no recorded inputs");
        }
        return l.inputs().stream()
                .filter(in -> in.table() != null)
                .map(in -> in.table() + "@" + in.version())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(spec + " was read from files, not a table"));
    }

    /** The cluster table ({@code NAME@VERSION}) a dedup-fuzzy stage wrote beside its output. */
    public static String clusterTable(Lake lake, String fuzzyOutput) {
        TableSpec s = TableSpec.parse(fuzzyOutput);
        TableLocation t = lake.locate(s.name());
        lake.requireExists(t);
        String written = ClusterTables.written(lake.lineageAt(t, lake.resolveVersion(t, s.version())));
        if (written == null) {
            throw new IllegalArgumentException(fuzzyOutput + " was not written by dedup-fuzzy with a clusters table");
        }
        return written;
    }

    /** The mixture a mix stage recorded: per phase, source and stratum the target and realised shares, epochs, documents. */
    public static Dataset<Row> mixture(Lake lake, String mixTable) {
        Lineage l = lineageOf(lake, mixTable);
        List<MixReport.Share> shares = l == null || !"mix".equals(l.stage()) ? List.of() : MixReport.shares(l);
        if (shares.isEmpty()) {
            throw new IllegalArgumentException(mixTable + " was not written by the mix stage");
        }
        List<Row> rows = new ArrayList<>();
        for (MixReport.Share r : shares) {
            rows.add(RowFactory.create(
                    r.phase(),
                    r.source(),
                    r.stratum(),
                    100 * r.targetShare(),
                    100 * r.realisedShare(),
                    r.realised(),
                    r.epochs(),
                    r.documents()));
        }
        return frame(
                lake.spark(),
                rows,
                new StructType()
                        .add("phase", DataTypes.StringType)
                        .add("source", DataTypes.StringType)
                        .add("stratum", DataTypes.StringType)
                        .add("target_pct", DataTypes.DoubleType)
                        .add("realised_pct", DataTypes.DoubleType)
                        .add("realised_units", DataTypes.DoubleType)
                        .add("epochs", DataTypes.DoubleType)
                        .add("documents", DataTypes.LongType));
    }

    /** {@code df} with a {@code tokens} column: its {@code text} encoded by a trained tokenizer (a folder or tokenizer.json). */
    public static Dataset<Row> withTokenCounts(Lake lake, String tokenizer, Dataset<Row> df) {
        Tokenize.Tokenizer t = Tokenize.tokenizer(lake, tokenizer);
        UserDefinedFunction count = udf(
                (UDF1<String, Integer>)
                        text -> text == null ? 0 : Tokenize.model(t).encode(text).length,
                DataTypes.IntegerType);
        return df.withColumn("tokens", count.apply(col("text")));
    }

    /** Bars: one bar group per row of {@code df} (labelled by {@code category}), one series per value column. */
    public static JFreeChart bars(String title, Dataset<Row> df, String category, String... values) {
        return barChart(title, df, category, false, values);
    }

    /** Stacked bars, as {@link #bars}. */
    public static JFreeChart stacked(String title, Dataset<Row> df, String category, String... values) {
        return barChart(title, df, category, true, values);
    }

    private static JFreeChart barChart(
            String title, Dataset<Row> df, String category, boolean stacked, String... values) {
        List<Row> rows = df.select(category, values).collectAsList();
        List<String> labels = rows.stream().map(r -> String.valueOf(r.get(0))).toList();
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            int k = i + 1;
            series.put(
                    values[i],
                    rows.stream()
                            .map(r -> r.isNullAt(k) ? 0.0 : ((Number) r.get(k)).doubleValue())
                            .toList());
        }
        return Charts.barChart(title, category, values.length == 1 ? values[0] : "", labels, series, stacked);
    }

    /** The lake's proxy-model experiments: tables written by {@code sweep} or {@code mix-search}, latest versions. */
    public static List<String> sweeps(Lake lake) {
        return tables(lake).filter("stage in ('sweep', 'mix-search')").orderBy("table").collectAsList().stream()
                .map(r -> r.getString(0))
                .toList();
    }

    /**
     * A sweep's runs with their loss on each evaluation table as rows (name, seed, eval, loss) — or their own
     * held-out loss (eval "held-out") when the sweep scored none.
     */
    public static Dataset<Row> sweepLosses(Lake lake, String table) {
        Dataset<Row> runs = read(lake, table);
        Dataset<Row> evals =
                runs.select(col("name"), col("seed"), explode(col("eval")).as(new String[] {"eval", "loss"}));
        Dataset<Row> own = runs.filter(col("held_out_loss").isNotNull())
                .select(
                        col("name"),
                        col("seed"),
                        lit("held-out").as("eval"),
                        col("held_out_loss").as("loss"));
        return evals.isEmpty() ? own : evals;
    }

    /** Per configuration and evaluation table: runs, mean and standard deviation of the loss over seeds. */
    public static Dataset<Row> sweepSummary(Lake lake, String table) {
        return sweepLosses(lake, table)
                .groupBy("name", "eval")
                .agg(
                        count(lit(1)).as("runs"),
                        avg("loss").as("mean_loss"),
                        stddev_samp("loss").as("std"))
                .orderBy("eval", "mean_loss");
    }

    /** Points of {@code y} against {@code x}, one series per value of {@code series} (null: one series). */
    public static JFreeChart scatter(String title, Dataset<Row> df, String x, String y, String series, boolean logX) {
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        Dataset<Row> d = df.select(
                col(x).cast("double"),
                col(y).cast("double"),
                series == null ? lit(y) : col(series).cast("string"));
        for (Row r : d.collectAsList()) {
            if (!r.isNullAt(0) && !r.isNullAt(1)) {
                points.computeIfAbsent(r.getString(2), k -> new ArrayList<>())
                        .add(new double[] {r.getDouble(0), r.getDouble(1)});
            }
        }
        return Charts.scatter(title, x, y, points, logX);
    }

    /** A histogram of a numeric column (nulls left out) in {@code bins} bins. */
    public static JFreeChart histogram(String title, Dataset<Row> df, String column, int bins) {
        double[] v = df.select(col(column).cast("double")).filter(col(column).isNotNull()).collectAsList().stream()
                .mapToDouble(r -> r.getDouble(0))
                .toArray();
        return Charts.histogram(title, column, v, bins);
    }

    /** Where the lake's pretraining runs live ({@code runs/} under a local lake). */
    public static Path runs(Lake lake) {
        String loc = lake.locate("runs").path();
        return loc.startsWith("file:") ? Path.of(URI.create(loc)) : Path.of(loc);
    }

    /** Every run directory under {@link #runs} (those with a metrics.jsonl). */
    public static List<Path> runDirs(Lake lake) {
        Path root = runs(lake);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var walk = Files.walk(root, 3)) {
            return walk.filter(p -> p.getFileName().toString().equals(dev.tokenmill.train.Metrics.FILE))
                    .map(Path::getParent)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run's metrics.jsonl as a table (one row per logged step or evaluation). */
    public static Dataset<Row> metrics(Lake lake, Path run) {
        Dataset<Row> m = lake.spark()
                .read()
                .json(run.resolve(dev.tokenmill.train.Metrics.FILE).toString());
        List<String> rest = new ArrayList<>(List.of(m.columns()));
        rest.remove("step");
        return m.select("step", rest.toArray(String[]::new));
    }

    /** Training and held-out loss against step. */
    public static JFreeChart lossCurve(Path run) {
        return LossCurve.chart(run, "loss: " + run.getFileName());
    }

    /** A run's checkpoints: step, samples consumed, data × pipeline layout, files and size. */
    public static Dataset<Row> checkpoints(Lake lake, Path run) {
        List<Row> rows = new ArrayList<>();
        for (RunCheckpoints.Entry c : RunCheckpoints.list(run)) {
            rows.add(RowFactory.create(c.name(), c.step(), c.consumedSamples(), c.world(), c.files(), c.bytes() / 1e6));
        }
        return frame(
                lake.spark(),
                rows,
                new StructType()
                        .add("checkpoint", DataTypes.StringType)
                        .add("step", DataTypes.LongType)
                        .add("consumed_samples", DataTypes.LongType)
                        .add("world", DataTypes.StringType)
                        .add("files", DataTypes.IntegerType)
                        .add("mb", DataTypes.DoubleType));
    }

    /** Two texts side by side, e.g. the copy a dedup stage kept and the one it removed. */
    public static Display.Html sideBySide(String leftTitle, String left, String rightTitle, String right) {
        return new Display.Html("<table style=\"table-layout:fixed;width:100%\"><tr><th style=\"text-align:left\">"
                + Tables.esc(leftTitle)
                + "</th><th style=\"text-align:left\">" + Tables.esc(rightTitle)
                + "</th></tr><tr><td style=\"vertical-align:top;text-align:left\">"
                + Tables.esc(left) + "</td><td style=\"vertical-align:top;text-align:left\">" + Tables.esc(right)
                + "</td></tr></table>");
    }

    /** The first {@code rows} rows of a Dataset as an HTML table (a cell's value shows 20). */
    public static Display.Html table(Dataset<Row> df, int rows) {
        return new Display.Html(Tables.html(df.toDF(), rows));
    }

    /** A heading or a note between outputs. */
    public static Display.Html html(String html) {
        return new Display.Html(html);
    }

    /** Shows a value now (a cell shows its last value anyway). */
    public static void show(Object value) {
        Display.show(value);
    }

    /** Runs a tokenmill verb on this lake in this JVM (same Spark session), printing its output; returns its exit code. */
    public static int tokenmill(Lake lake, String... args) {
        List<String> all = new ArrayList<>(List.of("--lake", lake.root()));
        all.addAll(List.of(args));
        int code = Main.run(all.toArray(String[]::new), System.out, System.err);
        if (code != 0) {
            throw new IllegalStateException("tokenmill " + String.join(" ", args) + " exited " + code);
        }
        return code;
    }

    private static String inputs(Lineage l) {
        if (l.inputs() == null) {
            return "";
        }
        return l.inputs().stream()
                .map(in -> in.table() != null
                        ? in.table() + "@" + in.version()
                        : in.path() + (in.files() == null ? "" : " (" + in.files() + " files)"))
                .collect(Collectors.joining(", "));
    }

    private static Dataset<Row> frame(SparkSession spark, List<Row> rows, StructType schema) {
        return spark.createDataFrame(rows, schema);
    }
}
