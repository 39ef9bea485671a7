package dev.tokenmill.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.SparkValues;
import dev.tokenmill.jobs.lake.SqlFilter;
import dev.tokenmill.jobs.lake.read.KernelReader;
import dev.tokenmill.jobs.lake.read.KernelValues;
import dev.tokenmill.jobs.lake.read.RowFilter;
import dev.tokenmill.jobs.lake.read.Values;
import dev.tokenmill.jobs.util.Closest;
import dev.tokenmill.jobs.util.RecordPrinter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Rows of a table version, the first ones in a fixed order (data files by path, rows in file order) whichever reader
 * reads them. Delta Kernel reads them without Spark and evaluates simple filters itself ({@link RowFilter}); a filter
 * beyond those is handed to Spark, which is said on stderr.
 */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Print rows of a table (any version: TABLE@VERSION).")
public final class ShowCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "TABLE[@VERSION]")
    String table;

    @Option(names = "--limit", defaultValue = "20", description = "Rows to print (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--columns", split = ",", description = "Columns to print (default all).")
    List<String> columns;

    @Option(
            names = "--where",
            description =
                    "A filter in Spark SQL, e.g. \"rule = 'empty-text'\" or \"lang in ('en', 'fr') and chars > 200\"; "
                            + "comparisons, in, is null, and/or/not are read without Spark, anything richer through Spark.")
    String where;

    @Option(names = "--json", description = "Print JSON, full values.")
    boolean json;

    @Option(
            names = {"--vertical", "-x"},
            description = "One block per row, a line per column (as psql's \\x); rows too wide for the terminal "
                    + "are printed so anyway.")
    boolean vertical;

    @Override
    protected boolean readsWithKernel() {
        return true;
    }

    private record Shown(List<String> columns, List<Map<String, Object>> rows) {}

    @Override
    public void run() {
        if (limit < 0) {
            throw new UserError("--limit must be >= 0");
        }
        Resolved r = resolve(table);
        KernelReader kernel = lake().kernel();
        Shown shown = null;
        if (kernel != null) {
            try {
                shown = withKernel(kernel, r);
            } catch (RowFilter.Unsupported e) {
                spec.commandLine()
                        .getErr()
                        .println("tokenmill: --where uses " + e.getMessage()
                                + ", which only Spark evaluates: reading with Spark");
            }
        }
        if (shown == null) {
            shown = withSpark(r);
        }
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> row : shown.rows()) {
                Map<String, Object> present = new LinkedHashMap<>(row);
                present.values().removeIf(v -> v == null); // as Spark's JSON writer: null columns left out
                rows.add(present);
            }
            printJson(rows);
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> row : shown.rows()) {
            cells.add(shown.columns().stream().map(c -> Values.cell(row.get(c))).toList());
        }
        out().println(r.label() + ": " + cells.size() + " row(s) shown");
        RecordPrinter.print(out(), shown.columns(), cells, RecordPrinter.terminalWidth(), vertical);
    }

    private Shown withKernel(KernelReader kernel, Resolved r) {
        KernelReader.Version version = kernel.open(r.table().path(), r.version(), r.label());
        List<String> all = version.columns();
        List<String> selected = selected(r, all);
        RowFilter filter = null;
        if (where != null) {
            try {
                filter = RowFilter.parse(where, KernelValues.kinds(version.schema()));
            } catch (IllegalArgumentException unknownColumn) {
                throw noColumn("--where '" + where + "'", r, unknownColumn.getMessage(), all);
            }
        }
        List<String> read = new ArrayList<>();
        for (String c : all) {
            if (selected.contains(c) || (filter != null && filter.columns().contains(c))) {
                read.add(c);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        if (limit > 0) {
            RowFilter f = filter;
            version.rows(read, row -> {
                if (f == null || f.keeps(row)) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    selected.forEach(c -> out.put(c, row.get(c)));
                    rows.add(out);
                }
                return rows.size() < limit;
            });
        }
        return new Shown(selected, rows);
    }

    private Shown withSpark(Resolved r) {
        // The Kernel reader's order: data files by path, rows in file order. Spark keeps a file's rows in order when
        // one task reads the whole file, so the read is planned with one file per task and no file split.
        org.apache.spark.sql.RuntimeConfig conf = lake().spark().conf();
        Map<String, String> saved = new LinkedHashMap<>();
        for (String key : List.of("spark.sql.files.maxPartitionBytes", "spark.sql.files.openCostInBytes")) {
            saved.put(key, conf.get(key, null));
            conf.set(key, String.valueOf(Long.MAX_VALUE / 4));
        }
        try {
            Dataset<Row> df = lake().read(r.table(), r.version());
            List<String> selected = selected(r, List.of(df.columns()));
            df = df.withColumn("_tokenmill_file", col("_metadata.file_path"))
                    .withColumn("_tokenmill_row", monotonically_increasing_id());
            df = SqlFilter.apply(df, where, "--where")
                    .orderBy(col("_tokenmill_file"), col("_tokenmill_row"))
                    .selectExpr(selected.stream().map(c -> "`" + c + "`").toArray(String[]::new));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Row row : df.limit(limit).collectAsList()) {
                rows.add(SparkValues.row(row));
            }
            return new Shown(selected, rows);
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    conf.unset(k);
                } else {
                    conf.set(k, v);
                }
            });
        }
    }

    private List<String> selected(Resolved r, List<String> all) {
        if (columns == null || columns.isEmpty()) {
            return all;
        }
        for (String c : columns) {
            if (!all.contains(c)) {
                throw noColumn("--columns", r, c, all);
            }
        }
        return columns;
    }

    private static UserError noColumn(String where, Resolved r, String column, List<String> all) {
        List<String> close = Closest.of(column, all, 3);
        return new UserError(where + ": table " + r.label() + " has no column '" + column + "'"
                + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")
                + " (columns: " + String.join(", ", all) + ")");
    }
}
