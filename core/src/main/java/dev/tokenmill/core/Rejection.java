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

    public static final StructType TYPE = new StructType(new StructField[] {
        DataTypes.createStructField("rule", DataTypes.StringType, false),
        DataTypes.createStructField("value", DataTypes.DoubleType, true),
        DataTypes.createStructField("threshold", DataTypes.DoubleType, true),
        DataTypes.createStructField("detail", DataTypes.StringType, true),
    });

    private Rejection() {
    }

    /** The tag as a Row value for {@link #COLUMN}. {@code value}/{@code threshold} may be null. */
    public static Row of(String rule, Double value, Double threshold, String detail) {
        return RowFactory.create(rule, value, threshold, detail);
    }

    /** {@code schema} plus the tag column. */
    public static StructType tagged(StructType schema) {
        return schema.add(COLUMN, TYPE, true);
    }
}
