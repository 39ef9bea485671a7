package dev.tokenmill.quality;

import dev.tokenmill.core.Rejection;
import java.util.Iterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Per-row plumbing of a stage that rewrites the text column and drops a document only when nothing is left:
 * copies the row, tags a null text {@code missing-text} and an emptied one {@code empty-text} (keeping the
 * original text on rejected rows), and otherwise writes back what {@link #rewrite} returns.
 */
abstract class TextRewriteIterator implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int textIndex;
    private final int priorIndex;
    private final String emptyDetail;

    /** {@code priorIndex}: {@link Rejection#PRIOR} in the input (-1 outside a fused run). */
    TextRewriteIterator(Iterator<Row> rows, int textIndex, int priorIndex, String emptyDetail) {
        this.rows = rows;
        this.textIndex = textIndex;
        this.priorIndex = priorIndex;
        this.emptyDetail = emptyDetail;
    }

    /** The new text of one document ("" means nothing is left). */
    abstract String rewrite(String text);

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public Row next() {
        Row row = rows.next();
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        if (priorIndex >= 0 && !row.isNullAt(priorIndex)) {
            return RowFactory.create(values); // dropped by an earlier stage of a fused run: keep it as it was
        }
        if (row.isNullAt(textIndex)) {
            values[row.length()] = Rejection.of("missing-text", null, null, "text is null");
            return RowFactory.create(values);
        }
        String text = row.getString(textIndex);
        String rewritten = rewrite(text);
        if (rewritten.isEmpty()) {
            values[row.length()] = Rejection.of("empty-text", 0.0, 1.0, emptyDetail + " (" + text.length() + " chars before)");
        } else {
            values[textIndex] = rewritten;
        }
        return RowFactory.create(values);
    }
}
