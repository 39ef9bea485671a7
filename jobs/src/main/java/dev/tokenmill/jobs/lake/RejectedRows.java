package dev.tokenmill.jobs.lake;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import dev.tokenmill.core.Rejection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The shape of {@code rejected/<source>}: one row per dropped document with the stage, rule, measured value,
 * threshold and note, its text, and every other column as JSON, so nothing is lost and a row can be restored.
 */
public final class RejectedRows {
    private RejectedRows() {}

    public static Dataset<Row> from(Dataset<Row> tagged, String stage, String idColumn, String textColumn) {
        List<String> fields = Arrays.asList(tagged.columns());
        List<Column> rest = new ArrayList<>();
        for (String f : fields) {
            if (!f.equals(Rejection.COLUMN)
                    && !f.equals(Rejection.BY_STAGE)
                    && !f.equals(idColumn)
                    && !f.equals(textColumn)) {
                rest.add(col("`" + f + "`"));
            }
        }
        Column record = rest.isEmpty() ? lit(null).cast("string") : to_json(struct(rest.toArray(new Column[0])));
        Column source = fields.contains("source")
                ? col("source").cast("string")
                : lit(null).cast("string");
        return tagged.filter(col(Rejection.COLUMN).isNotNull())
                .select(
                        col("`" + idColumn + "`").cast("string").as("id"),
                        source.as("source"),
                        (fields.contains(Rejection.BY_STAGE)
                                        ? coalesce(col(Rejection.BY_STAGE), lit(stage))
                                        : lit(stage))
                                .as("stage"),
                        col(Rejection.COLUMN + ".rule").as("rule"),
                        col(Rejection.COLUMN + ".value").as("value"),
                        col(Rejection.COLUMN + ".threshold").as("threshold"),
                        col(Rejection.COLUMN + ".detail").as("detail"),
                        col("`" + textColumn + "`").cast("string").as("text"),
                        record.as("record"));
    }
}
