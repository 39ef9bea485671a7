package dev.tokenmill.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The {@code dedup-exact} stage: documents with the same {@link ExactKey} form a group; one survives — the one
 * with the highest {@code quality_score} when the table has that column, else the lowest id — and the others are
 * rejected as {@code exact-duplicate} with the survivor's id. Adds {@code dup_key} and {@code dup_count} (group
 * size) to every row, so duplicates can be found again by SQL.
 */
public final class ExactDedupStage implements Stage {
    /** The parameters as parsed (defaults filled in) plus what they resolve to: the config in lineage. */
    private final Map<String, Object> settings;

    public static final String KEY = "dup_key";
    public static final String COUNT = "dup_count";
    public static final String QUALITY = "quality_score";

    private final ExactKey key;

    public ExactDedupStage(
            Map<String, Object> settings, boolean foldCase, boolean dropPunctuation, boolean foldWhitespace) {
        this.key = new ExactKey(foldCase, dropPunctuation, foldWhitespace);
        Map<String, Object> c = new LinkedHashMap<>(settings);
        c.put("normalisation", "NFKC");
        c.put("hash", "murmur3_x64_128");
        this.settings = c;
    }

    @Override
    public String name() {
        return "dedup-exact";
    }

    @Override
    public Map<String, Object> config() {
        return settings;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> input, StageContext context) {
        String text = context.textColumn();
        String id = context.idColumn();
        ExactKey k = key;
        UDF1<String, String> keyOf = t -> t == null ? null : k.key(t);
        List<Column> columns = new ArrayList<>();
        for (String c : input.columns()) {
            if (!c.equals(KEY) && !c.equals(COUNT)) {
                columns.add(col("`" + c + "`"));
            }
        }
        Dataset<Row> keyed = input.select(columns.toArray(Column[]::new))
                .withColumn(KEY, udf(keyOf, DataTypes.StringType).apply(col("`" + text + "`")));
        boolean hasQuality = List.of(input.columns()).contains(QUALITY);
        List<Column> order = new ArrayList<>();
        if (hasQuality) {
            order.add(col(QUALITY).desc_nulls_last());
        }
        order.add(col("`" + id + "`").asc_nulls_last());
        WindowSpec group = Window.partitionBy(col(KEY));
        WindowSpec ranked = group.orderBy(order.toArray(Column[]::new));
        Dataset<Row> ranked2 = keyed.withColumn("_dup_rank", row_number().over(ranked))
                .withColumn("_dup_kept", first(col("`" + id + "`")).over(ranked))
                .withColumn(COUNT, count(lit(1)).over(group).cast(DataTypes.IntegerType));
        Column tag = when(
                        col(KEY).isNotNull().and(col("_dup_rank").gt(1)),
                        struct(
                                lit("exact-duplicate").as("rule"),
                                col(COUNT).cast(DataTypes.DoubleType).as("value"),
                                lit(null).cast(DataTypes.DoubleType).as("threshold"),
                                org.apache
                                        .spark
                                        .sql
                                        .functions
                                        .concat(
                                                lit("kept_id="),
                                                col("_dup_kept").cast("string"))
                                        .as("detail")))
                .otherwise(lit(null).cast(Rejection.TYPE));
        return ranked2.withColumn(Rejection.COLUMN, tag).drop("_dup_rank", "_dup_kept");
    }
}
