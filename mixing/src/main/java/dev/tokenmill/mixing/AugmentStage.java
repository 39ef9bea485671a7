package dev.tokenmill.mixing;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.mixing.augment.TextAugmenter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The {@code augment} stage: for each row that matches {@code where}, {@code copies} new rows whose text is
 * {@link TextAugmenter}'s copy seeded by (run seed, id, copy number), with id {@code ID#aug-N}, the source's other
 * columns, {@code augmented_from} (the source id) and {@code augment_ops} (the ops applied and the copy's seed).
 * Originals pass through with both columns null, or, with {@code only_augmented}, go to the rejected table.
 */
public final class AugmentStage implements Stage {
    public static final String FROM = "augmented_from";
    public static final String OPS = "augment_ops";

    private final Map<String, Object> config;
    private final List<TextAugmenter.Op> ops;
    private final int copies;
    private final boolean onlyAugmented;
    private final String where;
    private final String maskToken;

    AugmentStage(
            Map<String, Object> config,
            List<TextAugmenter.Op> ops,
            int copies,
            boolean onlyAugmented,
            String where,
            String maskToken) {
        this.config = config;
        this.ops = ops;
        this.copies = copies;
        this.onlyAugmented = onlyAugmented;
        this.where = where;
        this.maskToken = maskToken;
    }

    @Override
    public String name() {
        return "augment";
    }

    @Override
    public Map<String, Object> config() {
        return config;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> input, StageContext context) {
        String idColumn = context.idColumn();
        String textColumn = context.textColumn();
        Dataset<Row> originals = input.withColumn(FROM, lit(null).cast(DataTypes.StringType))
                .withColumn(OPS, lit(null).cast(DataTypes.StringType))
                .withColumn(
                        Rejection.COLUMN,
                        onlyAugmented
                                ? expr("named_struct('rule', 'only_augmented', 'value', CAST(NULL AS DOUBLE), "
                                                + "'threshold', CAST(NULL AS DOUBLE), 'detail', CAST(NULL AS STRING))")
                                        .cast(Rejection.TYPE)
                                : lit(null).cast(Rejection.TYPE));
        // the copies' schema: the input's columns, the two lineage columns, a rejection tag that is always null
        StructType schema = Rejection.tagged(
                input.schema().add(FROM, DataTypes.StringType, true).add(OPS, DataTypes.StringType, true));
        Dataset<Row> sources = where == null ? input : input.where(safeWhere(where));
        int id = input.schema().fieldIndex(idColumn);
        int text = input.schema().fieldIndex(textColumn);
        int width = input.schema().size();
        long seed = context.seed();
        List<TextAugmenter.Op> chosen = ops;
        String mask = maskToken;
        int n = copies;
        LongAccumulator made = context.counter("copies");
        LongAccumulator changed = context.counter("copies_changed");
        FlatMapFunction<Row, Row> copy = row -> {
            TextAugmenter augmenter = new TextAugmenter(chosen, mask);
            List<Row> out = new ArrayList<>(n);
            String sourceId = row.isNullAt(id) ? null : row.getString(id);
            String sourceText = row.isNullAt(text) ? null : row.getString(text);
            if (sourceId == null || sourceText == null) {
                return out.iterator();
            }
            for (int c = 1; c <= n; c++) {
                long s = TextAugmenter.seed(seed, sourceId, c);
                TextAugmenter.Result r = augmenter.apply(sourceText, s);
                Object[] values = new Object[width + 3];
                for (int i = 0; i < width; i++) {
                    values[i] = row.get(i);
                }
                values[id] = sourceId + "#aug-" + c;
                values[text] = r.text();
                values[width] = sourceId;
                values[width + 1] = String.join(",", r.applied()) + " seed=" + Long.toHexString(s);
                values[width + 2] = null;
                out.add(RowFactory.create(values));
                made.add(1);
                if (!r.text().equals(sourceText)) {
                    changed.add(1);
                }
            }
            return out.iterator();
        };
        Dataset<Row> augmented = sources.flatMap(copy, Encoders.row(schema));
        return originals.unionByName(augmented);
    }

    private static Column safeWhere(String sql) {
        try {
            return expr(sql);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "augment: where: " + e.getMessage().lines().findFirst().orElse(sql));
        }
    }
}
