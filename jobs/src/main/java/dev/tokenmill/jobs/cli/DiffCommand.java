package dev.tokenmill.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.lake.TableSpec;
import dev.tokenmill.jobs.lake.TableStats;
import dev.tokenmill.jobs.util.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description =
                "Compare two versions of a table: rows added, removed and changed (by id), and how the stats moved.")
public final class DiffCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "TABLE")
    String table;

    @Parameters(index = "1", paramLabel = "V1")
    long v1;

    @Parameters(index = "2", paramLabel = "V2")
    long v2;

    @Option(
            names = "--sample",
            defaultValue = "5",
            description = "Ids to list per kind of change (default ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public void run() {
        TableLocation t = lake().locate(TableSpec.parse(table).name());
        lake().requireExists(t);
        lake().resolveVersion(t, v1);
        lake().resolveVersion(t, v2);
        Dataset<Row> a = lake().read(t, v1);
        Dataset<Row> b = lake().read(t, v2);
        if (!List.of(a.columns()).contains("id") || !List.of(b.columns()).contains("id")) {
            throw new UserError("diff matches rows by 'id', and " + t.name() + " has no id column in both versions");
        }
        Dataset<Row> ha = hashed(a, "a");
        Dataset<Row> hb = hashed(b, "b");
        Dataset<Row> joined = ha.join(hb, ha.col("a_id").equalTo(hb.col("b_id")), "full_outer")
                .cache();
        try {
            Dataset<Row> added = joined.filter(col("a_id").isNull());
            Dataset<Row> removed = joined.filter(col("b_id").isNull());
            Dataset<Row> changed = joined.filter(col("a_id")
                    .isNotNull()
                    .and(col("b_id").isNotNull())
                    .and(col("a_hash").notEqual(col("b_hash"))));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("table", t.name());
            result.put("from_version", v1);
            result.put("to_version", v2);
            result.put("rows_added", added.count());
            result.put("rows_removed", removed.count());
            result.put("rows_changed", changed.count());
            result.put("sample_added", ids(added, "b_id"));
            result.put("sample_removed", ids(removed, "a_id"));
            result.put("sample_changed", ids(changed, "a_id"));
            Set<String> colsA = new TreeSet<>(List.of(a.columns()));
            Set<String> colsB = new TreeSet<>(List.of(b.columns()));
            Set<String> newCols = new TreeSet<>(colsB);
            newCols.removeAll(colsA);
            Set<String> goneCols = new TreeSet<>(colsA);
            goneCols.removeAll(colsB);
            result.put("columns_added", newCols);
            result.put("columns_removed", goneCols);
            Map<String, Object> sa = TableStats.of(a);
            Map<String, Object> sb = TableStats.of(b);
            Map<String, Object> statChanges = new LinkedHashMap<>();
            for (String k : sa.keySet()) {
                if (sa.get(k) instanceof Number || sb.get(k) instanceof Number) {
                    statChanges.put(k, List.of(String.valueOf(sa.get(k)), String.valueOf(sb.get(k))));
                }
            }
            result.put("stats", statChanges);
            if (json) {
                printJson(result);
                return;
            }
            out().printf("%s: version %d → %d%n", t.name(), v1, v2);
            out().printf(
                            "  rows added %,d, removed %,d, changed %,d%n",
                            result.get("rows_added"), result.get("rows_removed"), result.get("rows_changed"));
            printSample("added", result.get("sample_added"));
            printSample("removed", result.get("sample_removed"));
            printSample("changed", result.get("sample_changed"));
            if (!newCols.isEmpty() || !goneCols.isEmpty()) {
                out().println("  columns added " + newCols + ", removed " + goneCols);
            }
            TextTable st = new TextTable("statistic", "v" + v1, "v" + v2);
            statChanges.forEach((k, v) -> st.row(k, ((List<?>) v).get(0), ((List<?>) v).get(1)));
            st.print(out());
            out().flush();
        } finally {
            joined.unpersist();
        }
    }

    private void printSample(String kind, Object ids) {
        if (ids instanceof List<?> l && !l.isEmpty()) {
            out().println("  e.g. " + kind + ": "
                    + String.join(", ", l.stream().map(String::valueOf).toList()));
        }
    }

    /** id plus a hash of every other column, prefixed so the two sides can be joined. */
    private static Dataset<Row> hashed(Dataset<Row> df, String prefix) {
        List<Column> rest = new ArrayList<>();
        for (String c : df.columns()) {
            if (!c.equals("id")) {
                rest.add(col("`" + c + "`"));
            }
        }
        Column hash =
                rest.isEmpty() ? col("id").cast("string") : sha2(to_json(struct(rest.toArray(new Column[0]))), 256);
        return df.select(col("id").cast("string").as(prefix + "_id"), hash.as(prefix + "_hash"));
    }

    private List<String> ids(Dataset<Row> df, String column) {
        List<String> out = new ArrayList<>();
        for (Row r :
                df.select(column).orderBy(column).limit(Math.max(0, sample)).collectAsList()) {
            out.add(r.getString(0));
        }
        return out;
    }
}
