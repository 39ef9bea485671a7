package dev.tokenmill.mixing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.mixing.augment.TextAugmenter;
import dev.tokenmill.mixing.augment.WordNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
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
    private static final String COPIES = "_augment_copies";

    private final Map<String, Object> config;
    private final List<TextAugmenter.Op> ops;
    private final int copies;
    private final boolean onlyAugmented;
    private final String where;
    private final String maskToken;
    private final String balanceBy;
    private final Long target;
    private final String wordNet;

    AugmentStage(
            Map<String, Object> config,
            List<TextAugmenter.Op> ops,
            int copies,
            boolean onlyAugmented,
            String where,
            String maskToken,
            String balanceBy,
            Long target,
            String wordNet) {
        this.config = config;
        this.ops = ops;
        this.copies = copies;
        this.onlyAugmented = onlyAugmented;
        this.where = where;
        this.maskToken = maskToken;
        this.balanceBy = balanceBy;
        this.target = target;
        this.wordNet = wordNet;
    }

    @Override
    public String name() {
        return "augment";
    }

    @Override
    public Map<String, Object> config() {
        return config;
    }

    /** The WordNet files when a synonym op needs them: they change the output, so they stamp the fingerprint. */
    @Override
    public Map<String, String> externalInputs(StageContext context) {
        Map<String, String> stamps = new java.util.LinkedHashMap<>();
        if (wordNet != null) {
            for (String f : WordNet.FILES) {
                String path = wordNet.replaceAll("/+$", "") + "/" + f;
                if (!context.resources().exists(path)) {
                    throw new IllegalArgumentException("augment: no WordNet database in " + wordNet + " (" + f
                            + " is missing): install Debian's wordnet-base, or give the folder of one as wordnet");
                }
                stamps.put(path, context.resources().stamp(path));
            }
        }
        return stamps;
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
        sources = withCopies(sources, idColumn, context);
        int copiesAt = sources.schema().fieldIndex(COPIES);
        int id = input.schema().fieldIndex(idColumn);
        int text = input.schema().fieldIndex(textColumn);
        int width = input.schema().size();
        long seed = context.seed();
        List<TextAugmenter.Op> chosen = ops;
        org.apache.spark.broadcast.Broadcast<java.util.HashMap<String, byte[]>> wordNetFiles = null;
        String wordNetKey = null;
        if (wordNet != null) {
            java.util.HashMap<String, byte[]> files = new java.util.HashMap<>();
            for (String f : WordNet.FILES) {
                files.put(f, context.resources().read(wordNet.replaceAll("/+$", "") + "/" + f));
            }
            wordNetKey = wordNet + "#" + externalInputs(context).hashCode();
            wordNetFiles = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                            context.spark().sparkContext())
                    .broadcast(files);
        }
        var wordNetBytes = wordNetFiles;
        String wordNetId = wordNetKey;
        String mask = maskToken;
        LongAccumulator made = context.counter("copies");
        LongAccumulator changed = context.counter("copies_changed");
        FlatMapFunction<Row, Row> copy = row -> {
            TextAugmenter augmenter = new TextAugmenter(
                    chosen, mask, wordNetBytes == null ? null : WordNet.of(wordNetId, wordNetBytes::value));
            int n = row.getInt(copiesAt);
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

    /**
     * The rows to copy with a {@code _augment_copies} column: {@code copies} each, or with {@code balance_by} what
     * brings every value of that column to {@code target} rows (default: the most frequent value's count). A value
     * with c rows needing k more gives each row ⌊k / c⌋ copies and one more to the first k mod c rows in an order
     * seeded by (seed, id); values at or above the target get none, rows with a null value none.
     */
    private Dataset<Row> withCopies(Dataset<Row> sources, String idColumn, StageContext context) {
        if (balanceBy == null) {
            return sources.withColumn(COPIES, lit(copies));
        }
        if (!List.of(sources.columns()).contains(balanceBy)) {
            throw new IllegalArgumentException("augment: balance_by: no column '" + balanceBy + "' (columns: "
                    + String.join(", ", sources.columns()) + ")");
        }
        Dataset<Row> counts = sources.where(col(balanceBy).isNotNull())
                .groupBy(col(balanceBy).as("_augment_value"))
                .agg(count(lit(1)).as("_augment_count"));
        long goal;
        if (target != null) {
            goal = target;
        } else {
            Row most = counts.agg(max(col("_augment_count"))).first(); // one Spark job, not two
            goal = most.isNullAt(0) ? 0 : most.getLong(0);
        }
        context.counter("balance_target").add(goal);
        Column need = greatest(lit(0L), lit(goal).minus(col("_augment_count")));
        Column rank = row_number()
                .over(Window.partitionBy(col(balanceBy))
                        .orderBy(xxhash64(col(idColumn), lit(context.seed())), col(idColumn)))
                .minus(1);
        Dataset<Row> joined =
                sources.join(counts, sources.col(balanceBy).eqNullSafe(counts.col("_augment_value")), "left");
        Column n = floor(need.divide(col("_augment_count")))
                .plus(when(rank.lt(pmod(need, col("_augment_count"))), 1).otherwise(0));
        return joined.withColumn(
                        COPIES,
                        when(col("_augment_count").isNull(), 0).otherwise(n).cast("int"))
                .drop("_augment_value", "_augment_count")
                .select(concat(List.of(sources.columns()), COPIES));
    }

    private static Column[] concat(List<String> columns, String last) {
        List<Column> out = new ArrayList<>();
        columns.forEach(c -> out.add(col(c)));
        out.add(col(last));
        return out.toArray(Column[]::new);
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
