package dev.tokenmill.jobs.lake;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import dev.tokenmill.jobs.lake.read.TableSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@link TableSummary}'s numbers computed by Spark, for tables too large to scan in one JVM and for the Spark reader:
 * the same keys, exact (count distinct, {@code percentile_disc}), in one pass plus one per group column.
 */
public final class TableStats {
    private TableStats() {}

    public static Map<String, Object> of(Dataset<Row> df) {
        List<String> names = List.of(df.columns());
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)).as("rows"));
        boolean hasText = names.contains("text");
        boolean hasId = names.contains("id");
        if (hasText) {
            aggs.add(sum(expr("length(text)")).as("text_chars"));
            aggs.add(count(col("text")).as("text_rows"));
            aggs.add(min(expr("length(text)")).as("text_chars_min"));
            aggs.add(expr("cast(percentile_disc(0.5) within group (order by length(text)) as bigint)")
                    .as("text_chars_p50"));
            aggs.add(expr("cast(percentile_disc(0.9) within group (order by length(text)) as bigint)")
                    .as("text_chars_p90"));
            aggs.add(max(expr("length(text)")).as("text_chars_max"));
        }
        if (hasId) {
            aggs.add(count_distinct(col("id")).as("distinct_ids"));
        }
        Row r = df.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
                .first();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("rows", r.getLong(0));
        if (hasText) {
            Long chars = r.isNullAt(1) ? null : r.getLong(1);
            long textRows = r.getLong(2);
            stats.put("text_chars", chars);
            stats.put("text_chars_mean", chars == null ? null : TableSummary.mean(chars, textRows));
            stats.put("text_chars_min", r.get(3));
            stats.put("text_chars_p50", r.get(4));
            stats.put("text_chars_p90", r.get(5));
            stats.put("text_chars_max", r.get(6));
        }
        if (hasId) {
            stats.put("distinct_ids", r.getLong(r.length() - 1));
        }
        stats.put("columns", names);
        for (String group : TableSummary.GROUPS) {
            if (names.contains(group)) {
                // the value as the Kernel path names it (String.valueOf: null → "null"), ordered by its UTF-8 bytes
                Column key = coalesce(col(group).cast("string"), lit("null"));
                Map<String, Long> counts = new LinkedHashMap<>();
                for (Row g : df.groupBy(key.as("key"))
                        .count()
                        .orderBy(col("count").desc(), col("key"))
                        .limit(TableSummary.TOP_GROUPS)
                        .collectAsList()) {
                    counts.put(g.getString(0), g.getLong(1));
                }
                stats.put("rows_by_" + group, counts);
            }
        }
        return stats;
    }
}
