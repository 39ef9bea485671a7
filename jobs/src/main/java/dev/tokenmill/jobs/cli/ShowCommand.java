package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.lake.SqlFilter;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.jobs.util.TextTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Option(names = "--where", description = "A Spark SQL filter, e.g. \"rule = 'empty-text'\".")
    String where;

    @Option(names = "--json", description = "Print JSON, full values.")
    boolean json;

    @Override
    public void run() {
        if (limit < 0) {
            throw new dev.tokenmill.jobs.UserError("--limit must be >= 0");
        }
        Resolved r = resolve(table);
        Dataset<Row> df = lake().read(r.table(), r.version());
        if (columns != null && !columns.isEmpty()) {
            for (String c : columns) {
                if (!List.of(df.columns()).contains(c)) {
                    throw new dev.tokenmill.jobs.UserError("table " + r.label() + " has no column '" + c
                            + "' (columns: " + String.join(", ", df.columns()) + ")");
                }
            }
            df = df.selectExpr(columns.stream().map(c -> "`" + c + "`").toArray(String[]::new));
        }
        df = SqlFilter.apply(df, where, "--where");
        if (json) {
            List<Object> parsed = new ArrayList<>();
            df.limit(limit).toJSON().collectAsList().forEach(s -> parsed.add(Json.read(s)));
            printJson(parsed);
            return;
        }
        String[] names = df.columns();
        TextTable t = new TextTable(60, names);
        for (Row row : df.limit(limit).collectAsList()) {
            Object[] cells = new Object[names.length];
            for (int i = 0; i < names.length; i++) {
                Object v = row.get(i);
                cells[i] = v instanceof byte[] b ? "<" + b.length + " bytes>" : v;
            }
            t.row(cells);
        }
        out().println(r.label() + ": " + t.size() + " row(s) shown");
        t.print(out());
        out().flush();
    }
}
