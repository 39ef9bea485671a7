package dev.tokenmill.jobs.lake.read;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Delta Kernel column values as {@link Values}' plain Java values, and Delta types as {@link RowFilter.Kind}s. */
public final class KernelValues {
    private KernelValues() {}

    public static Object get(ColumnVector v, int i) {
        if (v.isNullAt(i)) {
            return null;
        }
        DataType t = v.getDataType();
        if (t instanceof StringType) {
            return v.getString(i);
        } else if (t instanceof LongType) {
            return v.getLong(i);
        } else if (t instanceof IntegerType) {
            return v.getInt(i);
        } else if (t instanceof DoubleType) {
            return v.getDouble(i);
        } else if (t instanceof FloatType) {
            return v.getFloat(i);
        } else if (t instanceof BooleanType) {
            return v.getBoolean(i);
        } else if (t instanceof ShortType) {
            return v.getShort(i);
        } else if (t instanceof ByteType) {
            return v.getByte(i);
        } else if (t instanceof BinaryType) {
            return v.getBinary(i);
        } else if (t instanceof DecimalType) {
            return v.getDecimal(i);
        } else if (t instanceof DateType) {
            return Values.date(LocalDate.ofEpochDay(v.getInt(i)));
        } else if (t instanceof TimestampType) {
            return Values.timestamp(micros(v.getLong(i)));
        } else if (t instanceof TimestampNTZType) {
            Instant at = micros(v.getLong(i));
            return Values.localTimestamp(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
        } else if (t instanceof ArrayType) {
            ArrayValue a = v.getArray(i);
            List<Object> out = new ArrayList<>(a.getSize());
            for (int k = 0; k < a.getSize(); k++) {
                out.add(get(a.getElements(), k));
            }
            return out;
        } else if (t instanceof MapType) {
            MapValue m = v.getMap(i);
            Map<String, Object> out = new LinkedHashMap<>();
            for (int k = 0; k < m.getSize(); k++) {
                out.put(String.valueOf(get(m.getKeys(), k)), get(m.getValues(), k));
            }
            return out;
        } else if (t instanceof StructType s) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int f = 0; f < s.length(); f++) {
                Object value = get(v.getChild(f), i);
                if (value != null) { // as Spark's JSON writer leaves null fields out
                    out.put(s.at(f).getName(), value);
                }
            }
            return out;
        }
        throw new IllegalArgumentException("unsupported Delta type " + t);
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** How {@link RowFilter} compares values of a column of this type. */
    public static RowFilter.Kind kind(DataType t) {
        if (t instanceof StringType) {
            return RowFilter.Kind.STRING;
        } else if (t instanceof LongType
                || t instanceof IntegerType
                || t instanceof ShortType
                || t instanceof ByteType) {
            return RowFilter.Kind.INTEGRAL;
        } else if (t instanceof DoubleType || t instanceof FloatType) {
            return RowFilter.Kind.FRACTIONAL;
        } else if (t instanceof DecimalType) {
            return RowFilter.Kind.DECIMAL;
        } else if (t instanceof BooleanType) {
            return RowFilter.Kind.BOOLEAN;
        }
        return RowFilter.Kind.OTHER;
    }

    /** Column name → kind, in table order. */
    public static Map<String, RowFilter.Kind> kinds(StructType schema) {
        Map<String, RowFilter.Kind> out = new LinkedHashMap<>();
        for (StructField f : schema.fields()) {
            out.put(f.getName(), kind(f.getDataType()));
        }
        return out;
    }
}
