package dev.tokenmill.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.quality.lm.KneserNeyModel;
import dev.tokenmill.quality.score.QualityClassifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The {@code score} stage: model-based quality signals as columns.
 * <ul>
 *   <li>{@code quality_score}: P(high quality) from a PipelineModel trained by {@code tokenmill train-quality-model};</li>
 *   <li>{@code perplexity}: of a Kneser-Ney n-gram model ({@code tokenmill train-lm}), and {@code ppl_bucket}
 *       head / middle / tail by percentiles of perplexity within each language (CCNet), computed on this table.</li>
 * </ul>
 * Optional thresholds drop documents ({@code quality_score_low}, {@code perplexity_high}); the columns are kept
 * either way, so a later SQL query can re-threshold.
 */
public final class ScoreStage implements Stage {
    /** The parameters as parsed (defaults filled in) plus what they resolve to: the config in lineage. */
    private final Map<String, Object> settings;

    public static final String QUALITY = "quality_score";
    public static final String PERPLEXITY = "perplexity";
    public static final String BUCKET = "ppl_bucket";

    private final String classifier;
    private final String lm;
    private final double headPercentile;
    private final double tailPercentile;
    private final Double minQuality;
    private final Double maxPerplexity;

    public ScoreStage(
            Map<String, Object> settings,
            String classifier,
            String lm,
            double headPercentile,
            double tailPercentile,
            Double minQuality,
            Double maxPerplexity) {
        this.settings = settings;
        this.classifier = classifier;
        this.lm = lm;
        this.headPercentile = headPercentile;
        this.tailPercentile = tailPercentile;
        this.minQuality = minQuality;
        this.maxPerplexity = maxPerplexity;
    }

    @Override
    public String name() {
        return "score";
    }

    @Override
    public Map<String, Object> config() {
        return settings;
    }

    @Override
    public Map<String, String> externalInputs(StageContext context) {
        Map<String, String> stamps = new LinkedHashMap<>();
        if (classifier != null) {
            stamps.put(classifier, stamp(context, classifier, "quality model"));
        }
        if (lm != null) {
            stamps.put(lm, stamp(context, lm, "n-gram model"));
        }
        return stamps;
    }

    private static String stamp(StageContext context, String path, String what) {
        if (!context.resources().exists(path)) {
            throw new IllegalArgumentException(
                    "stage 'score': the " + what + " " + context.resources().resolve(path) + " does not exist");
        }
        return context.resources().stamp(path);
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> input, StageContext context) {
        List<String> inputColumns = new ArrayList<>(List.of(input.columns()));
        inputColumns.removeAll(List.of(QUALITY, PERPLEXITY, BUCKET, Rejection.COLUMN));
        Dataset<Row> df =
                input.select(inputColumns.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
        String text = context.textColumn();
        if (classifier != null) {
            df = scoreQuality(df, context.resources().resolve(classifier), text);
        }
        if (lm != null) {
            df = scorePerplexity(df, context, lm, text);
        }
        Column reject = lit(null).cast(Rejection.TYPE);
        if (maxPerplexity != null && lm != null) {
            reject = when(col(PERPLEXITY).gt(maxPerplexity), tag("perplexity_high", col(PERPLEXITY), maxPerplexity))
                    .otherwise(reject);
        }
        if (minQuality != null && classifier != null) {
            reject = when(col(QUALITY).lt(minQuality), tag("quality_score_low", col(QUALITY), minQuality))
                    .otherwise(reject);
        }
        return df.withColumn(Rejection.COLUMN, reject);
    }

    private static Column tag(String rule, Column value, double threshold) {
        return struct(
                lit(rule).as("rule"),
                value.cast(DataTypes.DoubleType).as("value"),
                lit(threshold).as("threshold"),
                lit(null).cast(DataTypes.StringType).as("detail"));
    }

    private static Dataset<Row> scoreQuality(Dataset<Row> df, String path, String text) {
        PipelineModel model;
        try {
            model = PipelineModel.load(path);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "stage 'score': cannot load the quality model at " + path + ": " + e.getMessage());
        }
        boolean renamed = !text.equals(QualityClassifier.TEXT);
        if (renamed && List.of(df.columns()).contains(QualityClassifier.TEXT)) {
            throw new IllegalArgumentException(
                    "stage 'score': the table has a 'text' column besides the text column '" + text + "'");
        }
        Dataset<Row> in = renamed ? df.withColumnRenamed(text, QualityClassifier.TEXT) : df;
        Dataset<Row> scored = model.transform(in).withColumn(QUALITY, QualityClassifier.positiveProbability());
        for (String c : QualityClassifier.WORK_COLUMNS) {
            scored = scored.drop(c);
        }
        return renamed ? scored.withColumnRenamed(QualityClassifier.TEXT, text) : scored;
    }

    private Dataset<Row> scorePerplexity(Dataset<Row> df, StageContext context, String path, String text) {
        byte[] bytes = context.resources().read(path);
        Broadcast<byte[]> model = JavaSparkContext.fromSparkContext(
                        context.spark().sparkContext())
                .broadcast(bytes);
        int textIndex = df.schema().fieldIndex(text);
        String key = path + "#" + bytes.length + "#" + java.util.Arrays.hashCode(bytes);
        Dataset<Row> withPpl = df.withColumn(PERPLEXITY, lit(null).cast(DataTypes.DoubleType));
        int pplIndex = withPpl.schema().fieldIndex(PERPLEXITY);
        MapFunction<Row, Row> fn = row -> {
            Object[] values = new Object[row.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i);
            }
            if (!row.isNullAt(textIndex)) {
                double ppl =
                        Models.lm(key, model).score(row.getString(textIndex)).perplexity();
                values[pplIndex] = Double.isNaN(ppl) ? null : ppl;
            }
            return org.apache.spark.sql.RowFactory.create(values);
        };
        // read twice below (percentiles, then the join back): persisted so each document is scored once
        Dataset<Row> scored = context.persist(withPpl.map(fn, Encoders.row(withPpl.schema())));
        // CCNet: head / middle / tail cut at percentiles of perplexity within each language
        boolean byLang = List.of(df.columns()).contains(LanguageStage.LANG);
        Column group = byLang ? col(LanguageStage.LANG) : lit("all");
        Dataset<Row> cutoffs = scored.groupBy(group.as("_ppl_group"))
                .agg(org.apache
                        .spark
                        .sql
                        .functions
                        .percentile_approx(
                                col(PERPLEXITY),
                                org.apache.spark.sql.functions.array(
                                        lit(headPercentile / 100), lit(tailPercentile / 100)),
                                lit(10_000))
                        .as("_ppl_cut"));
        Dataset<Row> joined = scored.withColumn("_ppl_group", group)
                .join(org.apache.spark.sql.functions.broadcast(cutoffs), "_ppl_group");
        Column bucket = when(col(PERPLEXITY).isNull(), lit(null).cast(DataTypes.StringType))
                .when(col(PERPLEXITY).lt(col("_ppl_cut").getItem(0)), lit("head"))
                .when(col(PERPLEXITY).lt(col("_ppl_cut").getItem(1)), lit("middle"))
                .otherwise(lit("tail"));
        List<Column> out = new ArrayList<>();
        for (String c : scored.columns()) {
            out.add(col("`" + c + "`"));
        }
        out.add(bucket.as(BUCKET));
        return joined.select(out.toArray(Column[]::new));
    }

    /** One loaded n-gram model per executor JVM, shared by its task threads. */
    static final class Models {
        private static final ConcurrentHashMap<String, KneserNeyModel> LOADED = new ConcurrentHashMap<>();

        static KneserNeyModel lm(String key, Broadcast<byte[]> bytes) {
            return LOADED.computeIfAbsent(key, k -> {
                try {
                    return KneserNeyModel.load(new ByteArrayInputStream(bytes.value()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
