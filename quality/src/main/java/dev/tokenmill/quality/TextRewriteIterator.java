package dev.tokenmill.quality;

import dev.tokenmill.core.Rejection;
import java.util.Iterator;
import org.apache.spark.sql.Row;

/**
 * Per-row plumbing of a stage that rewrites the text column and drops a document only when nothing is left:
 * tags a null text {@code missing-text} and an emptied one {@code empty-text} (keeping the original text on
 * rejected rows), and otherwise writes back what {@link #rewrite} returns. Its layout adds no column, only the tag.
 */
abstract class TextRewriteIterator extends ColumnLayoutIterator {
    private final int textIndex;
    private final String emptyDetail;

    TextRewriteIterator(Iterator<Row> rows, ColumnLayout layout, int textIndex, String emptyDetail) {
        super(rows, layout);
        this.textIndex = textIndex;
        this.emptyDetail = emptyDetail;
    }

    /** The new text of one document ("" means nothing is left). */
    abstract String rewrite(String text);

    @Override
    final void fill(Row row, Object[] values) {
        if (row.isNullAt(textIndex)) {
            values[layout.tagIndex] = Rejection.of("missing-text", null, null, "text is null");
            return;
        }
        String text = row.getString(textIndex);
        String rewritten = rewrite(text);
        if (rewritten.isEmpty()) {
            values[layout.tagIndex] =
                    Rejection.of("empty-text", 0.0, 1.0, emptyDetail + " (" + text.length() + " chars before)");
        } else {
            values[textIndex] = rewritten;
        }
    }
}
