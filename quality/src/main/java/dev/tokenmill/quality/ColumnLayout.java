package dev.tokenmill.quality;

import dev.tokenmill.core.Rejection;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Output layout of a stage that adds measured columns: the input columns (minus any it recomputes, so a table
 * that went through the stage before does not get them twice), then the added columns, then the rejection tag.
 */
final class ColumnLayout implements java.io.Serializable {
    final StructType schema;
    /** Input column index of each kept input column, in output order. */
    final int[] keptInputIndex;
    /** Output index of the first added column. */
    final int firstAdded;
    /** Output index of the rejection tag (the last column). */
    final int tagIndex;
    /** Input index of {@link Rejection#PRIOR}, or -1 outside a fused run. */
    final int priorIndex;

    ColumnLayout(StructType input, List<String> added, DataType type, boolean nullable) {
        this(
                input,
                added.stream()
                        .map(name -> DataTypes.createStructField(name, type, nullable))
                        .toList());
    }

    ColumnLayout(StructType input, List<StructField> added) {
        this.priorIndex = Rejection.priorIndex(input);
        if (priorIndex >= 0) {
            // rows dropped earlier in a fused run pass through with these columns null
            added = added.stream()
                    .map(f -> f.nullable() ? f : DataTypes.createStructField(f.name(), f.dataType(), true))
                    .toList();
        }
        List<String> addedNames = added.stream().map(StructField::name).toList();
        StructType out = new StructType();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < input.fields().length; i++) {
            if (!addedNames.contains(input.fields()[i].name())) {
                out = out.add(input.fields()[i]);
                kept.add(i);
            }
        }
        this.firstAdded = kept.size();
        for (StructField column : added) {
            out = out.add(column);
        }
        this.schema = Rejection.tagged(out);
        this.keptInputIndex = kept.stream().mapToInt(Integer::intValue).toArray();
        this.tagIndex = schema.fields().length - 1;
    }

    /** True for a row an earlier stage of a fused run dropped: the stage copies it through and does nothing else. */
    boolean rejectedEarlier(org.apache.spark.sql.Row row) {
        return priorIndex >= 0 && !row.isNullAt(priorIndex);
    }

    /** A value array for one output row with the kept input values copied in. */
    Object[] start(org.apache.spark.sql.Row row) {
        Object[] values = new Object[schema.fields().length];
        for (int i = 0; i < keptInputIndex.length; i++) {
            values[i] = row.get(keptInputIndex[i]);
        }
        return values;
    }
}
