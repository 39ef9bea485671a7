package dev.tokenmill.jobs.ingest;

import dev.tokenmill.core.Rejection;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The row ingest emits for every record it reads: a document (id, source, text, meta, file, line) or, when the
 * record cannot be used, the same position with a quarantine rule and the raw record (string and bytes).
 */
public final class IngestRow {
    public static final String RAW = "_raw";
    public static final String RAW_BYTES = "_raw_bytes";

    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, true)
            .add("source", DataTypes.StringType, false)
            .add("text", DataTypes.StringType, true)
            .add("meta", DataTypes.StringType, true)
            .add("file", DataTypes.StringType, false)
            .add("line", DataTypes.LongType, true)
            .add(RAW, DataTypes.StringType, true)
            .add(RAW_BYTES, DataTypes.BinaryType, true)
            .add(Rejection.COLUMN, Rejection.TYPE, true);

    private IngestRow() {}

    public static Row document(String id, String source, String text, String meta, String file, Long line) {
        return RowFactory.create(id, source, text, meta, file, line, null, null, null);
    }

    public static Row quarantined(
            String source, String file, Long line, String rule, String detail, String raw, byte[] rawBytes) {
        return RowFactory.create(
                null, source, null, null, file, line, raw, rawBytes, Rejection.of(rule, null, null, detail));
    }
}
