package dev.tokenmill.jobs.lake;

import dev.tokenmill.jobs.lake.read.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Spark row values as {@link Values}' plain Java values (what the Delta Kernel reader gives for the same table). */
public final class SparkValues {
    private SparkValues() {}

    /** A row as column name → value, null columns left out (as Spark's JSON writer does). */
    public static Map<String, Object> row(Row r) {
        Map<String, Object> out = new LinkedHashMap<>();
        StructType schema = r.schema();
        for (int i = 0; i < r.length(); i++) {
            out.put(schema.fields()[i].name(), value(r.get(i)));
        }
        return out;
    }

    public static Object value(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof byte[]) {
            return v;
        } else if (v instanceof java.sql.Timestamp t) {
            return Values.timestamp(t.toInstant());
        } else if (v instanceof java.time.Instant t) {
            return Values.timestamp(t);
        } else if (v instanceof java.sql.Date d) {
            return Values.date(d.toLocalDate());
        } else if (v instanceof java.time.LocalDate d) {
            return Values.date(d);
        } else if (v instanceof java.time.LocalDateTime t) {
            return Values.localTimestamp(t);
        } else if (v instanceof Row r) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < r.length(); i++) {
                if (!r.isNullAt(i)) {
                    out.put(r.schema().fields()[i].name(), value(r.get(i)));
                }
            }
            return out;
        } else if (v instanceof scala.collection.Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.foreach(entry -> out.put(String.valueOf(value(entry._1())), value(entry._2())));
            return out;
        } else if (v instanceof scala.collection.Iterable<?> seq) {
            List<Object> out = new ArrayList<>();
            seq.foreach(e -> out.add(value(e)));
            return out;
        }
        return v.toString();
    }
}
