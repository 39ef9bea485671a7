package dev.tokenmill.jobs.lake;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Summary numbers of one table version, computed in one pass (plus one for the per-source breakdown). */
public final class TableStats {
    private TableStats() {}

    public static Map<String, Object> of(Dataset<Row> df) {
        List<String> names = List.of(df.columns());
        Map<String, Object> stats = new LinkedHashMap<>();
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)).as("rows"));
        boolean hasText = names.contains("text");
        boolean hasId = names.contains("id");
        if (hasText) {
            Column len = length(col("text"));
            aggs.add(sum(len).as("text_chars"));
            aggs.add(avg(len).as("text_chars_mean"));
            aggs.add(min(len).as("text_chars_min"));
            aggs.add(percentile_approx(len, lit(0.5), lit(10000)).as("text_chars_p50"));
            aggs.add(percentile_approx(len, lit(0.9), lit(10000)).as("text_chars_p90"));
            aggs.add(max(len).as("text_chars_max"));
        }
        if (hasId) {
            aggs.add(approx_count_distinct(col("id")).as("distinct_ids_approx"));
        }
        Row r = df.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
                .first();
        for (int i = 0; i < r.length(); i++) {
            Object v = r.get(i);
            if (v instanceof Double d) {
                v = Math.round(d * 100) / 100.0;
            }
            stats.put(r.schema().fields()[i].name(), v);
        }
        stats.put("columns", names);
        for (String group : List.of("source", "lang", "stage", "rule")) {
            if (names.contains(group)) {
                Map<String, Long> counts = new LinkedHashMap<>();
                for (Row g : df.groupBy(col(group))
                        .count()
                        .orderBy(col("count").desc(), col(group))
                        .limit(50)
                        .collectAsList()) {
                    counts.put(String.valueOf(g.get(0)), g.getLong(1));
                }
                stats.put("rows_by_" + group, counts);
            }
        }
        return stats;
    }
}
