package dev.tokenmill.jobs.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.octet_length;

import dev.tokenmill.core.Rejection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows and UTF-8 text bytes per rejection rule of a tagged stage result, counted in one job with no shuffle: each
 * task reads only the rule and the text's byte length (known without decoding, unlike its length in characters)
 * and returns one row per rule it saw; the driver adds them up. (A groupBy with an ordering took a shuffle, a
 * sampling job for the sort and a result job: about a second of small jobs per stage.)
 */
final class RuleCounts {
    private static final StructType SCHEMA = new StructType()
            .add("rule", DataTypes.StringType, true)
            .add("rows", DataTypes.LongType, false)
            .add("bytes", DataTypes.LongType, false);

    private RuleCounts() {}

    /** One row per (task, rule): rule (null = kept), rows, text bytes; the caller sums them. */
    static List<Row> of(Dataset<Row> tagged, String textColumn) {
        Dataset<Row> narrow = tagged.select(col(Rejection.COLUMN + ".rule"), octet_length(col("`" + textColumn + "`")));
        MapPartitionsFunction<Row, Row> count = RuleCounts::countPartition;
        return narrow.mapPartitions(count, Encoders.row(SCHEMA)).collectAsList();
    }

    private static Iterator<Row> countPartition(Iterator<Row> rows) {
        Map<String, long[]> counts = new HashMap<>(); // the null key counts kept rows
        while (rows.hasNext()) {
            Row r = rows.next();
            long[] c = counts.computeIfAbsent(r.isNullAt(0) ? null : r.getString(0), k -> new long[2]);
            c[0]++;
            c[1] += r.isNullAt(1) ? 0 : r.getInt(1);
        }
        List<Row> out = new ArrayList<>(counts.size());
        counts.forEach((rule, c) -> out.add(RowFactory.create(rule, c[0], c[1])));
        return out.iterator();
    }
}
