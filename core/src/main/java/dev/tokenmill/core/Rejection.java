package dev.tokenmill.core;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The tag a stage puts on a row it drops: which rule, the measured value, the threshold, and a note. */
public final class Rejection {
    /** Column name of the tag; null means the row is kept. */
    public static final String COLUMN = "_rejection";
    /**
     * Inside a fused run of stages: the tag an earlier stage gave. A row-wise stage passes such a row through
     * untouched (its own columns null), so it is stored as it was when dropped.
     */
    public static final String PRIOR = "_rejection_prior";
    /** Inside a fused run: which stage dropped the row (the rejected table's {@code stage}). */
    public static final String BY_STAGE = "_rejection_stage";

    public static final StructType TYPE = new StructType(new StructField[] {
        DataTypes.createStructField("rule", DataTypes.StringType, false),
        DataTypes.createStructField("value", DataTypes.DoubleType, true),
        DataTypes.createStructField("threshold", DataTypes.DoubleType, true),
        DataTypes.createStructField("detail", DataTypes.StringType, true),
    });

    private Rejection() {}

    /** The tag as a Row value for {@link #COLUMN}. {@code value}/{@code threshold} may be null. */
    public static Row of(String rule, Double value, Double threshold, String detail) {
        return RowFactory.create(rule, value, threshold, detail);
    }

    /** Index of {@link #PRIOR} in {@code schema}, or -1 outside a fused run. */
    public static int priorIndex(StructType schema) {
        return java.util.Arrays.asList(schema.fieldNames()).indexOf(PRIOR);
    }

    /** {@code schema} plus the tag column. */
    public static StructType tagged(StructType schema) {
        return schema.add(COLUMN, TYPE, true);
    }
}
