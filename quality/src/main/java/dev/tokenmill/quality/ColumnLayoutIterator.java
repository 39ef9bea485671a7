package dev.tokenmill.quality;

import java.util.Iterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Per-row plumbing of a stage that adds columns ({@link ColumnLayout}): copies each row's kept input values, passes
 * rows an earlier stage of a fused run dropped through untouched, and lets {@link #fill} set the added columns, the
 * text and the rejection tag of the others.
 */
abstract class ColumnLayoutIterator implements Iterator<Row> {
    private final Iterator<Row> rows;
    final ColumnLayout layout;

    ColumnLayoutIterator(Iterator<Row> rows, ColumnLayout layout) {
        this.rows = rows;
        this.layout = layout;
    }

    /** Sets the output {@code values} (kept input values already copied in) for input {@code row}. */
    abstract void fill(Row row, Object[] values);

    @Override
    public final boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public final Row next() {
        Row row = rows.next();
        Object[] values = layout.start(row);
        if (!layout.rejectedEarlier(row)) {
            fill(row, values);
        }
        return RowFactory.create(values);
    }
}
