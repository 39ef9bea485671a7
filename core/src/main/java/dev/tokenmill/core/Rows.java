package dev.tokenmill.core;

import java.util.Iterator;
import java.util.function.Function;
import org.apache.spark.sql.Row;

/** Small helpers for row-by-row Spark functions that add columns. */
public final class Rows {
    private Rows() {}

    /** The first {@code width} values of {@code row} in a new array with {@code extra} empty slots after them. */
    public static Object[] widen(Row row, int width, int extra) {
        Object[] values = new Object[width + extra];
        for (int i = 0; i < width; i++) {
            values[i] = row.get(i);
        }
        return values;
    }

    /** A lazy iterator applying {@code f} to each row (what mapPartitions functions return). */
    public static Iterator<Row> mapped(Iterator<Row> rows, Function<Row, Row> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                return f.apply(rows.next());
            }
        };
    }
}
