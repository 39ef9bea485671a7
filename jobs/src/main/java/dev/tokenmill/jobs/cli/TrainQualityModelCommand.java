package dev.tokenmill.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.active.LabelsTable;
import dev.tokenmill.jobs.lake.FilesCommitter;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.SqlFilter;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.jobs.util.TextTable;
import dev.tokenmill.quality.score.QualityClassifier;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the {@code score} stage's quality classifier on two lake tables (high-quality positives, low-quality
 * negatives) and/or the labelled rows of a labels table, holds out a seeded share to report precision, recall, F1 and
 * ROC AUC, and saves the fitted Spark ML PipelineModel plus {@code tokenmill-metrics.json} and
 * {@code tokenmill-lineage.json} (every input table with the version read) at the output path.
 */
@Command(
        name = "train-quality-model",
        mixinStandardHelpOptions = true,
        description = "Train the hashed uni+bigram logistic-regression quality classifier used by the score stage.")
public final class TrainQualityModelCommand extends LakeCommand {
    @Option(names = "--positive", paramLabel = "TABLE[@V]", description = "High-quality documents.")
    String positive;

    @Option(names = "--negative", paramLabel = "TABLE[@V]", description = "Low-quality documents.")
    String negative;

    @Option(
            names = "--labels",
            paramLabel = "TABLE[@V]",
            description = "A labels table from label-queue / import-labels: its labelled rows (label 1 good, 0 bad), "
                    + "alone or added to --positive/--negative.")
    String labels;

    @Option(names = "--positive-where", description = "SQL filter on the positive table, e.g. \"lang = 'en'\".")
    String positiveWhere;

    @Option(names = "--negative-where", description = "SQL filter on the negative table.")
    String negativeWhere;

    @Option(
            names = "--output",
            required = true,
            description = "Model folder, lake-relative (models/quality/web) or a full path/URI.")
    String output;

    @Option(
            names = "--text-column",
            defaultValue = "text",
            description = "Text column of both tables (default ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(names = "--test-fraction", defaultValue = "0.2", description = "Held-out share (default ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(
            names = "--num-features",
            defaultValue = "1048576",
            description = "Hashed feature space (default ${DEFAULT-VALUE}).")
    int numFeatures;

    @Option(names = "--reg", defaultValue = "0.001", description = "L2 regularisation (default ${DEFAULT-VALUE}).")
    double reg;

    @Option(names = "--max-iter", defaultValue = "100", description = "L-BFGS iterations (default ${DEFAULT-VALUE}).")
    int maxIter;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of the train/test split (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the metrics as JSON.")
    boolean json;

    @Override
    public void run() {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new UserError("--test-fraction must be in (0, 1), got " + testFraction);
        }
        if (numFeatures < 2) {
            throw new UserError("--num-features must be at least 2, got " + numFeatures);
        }
        if ((positive == null) != (negative == null)) {
            throw new UserError("give --positive and --negative together (or neither, with --labels)");
        }
        if (positive == null && labels == null) {
            throw new UserError("give --positive and --negative tables, --labels, or both");
        }
        java.time.Instant started = java.time.Instant.now();
        List<Lineage.Input> inputs = new java.util.ArrayList<>();
        Dataset<Row> data = null;
        if (positive != null) {
            data = labelled(positive, positiveWhere, 1.0, inputs)
                    .unionByName(labelled(negative, negativeWhere, 0.0, inputs));
        }
        if (labels != null) {
            Dataset<Row> fromLabels = fromLabels(inputs);
            data = data == null ? fromLabels : data.unionByName(fromLabels);
        }
        // split by a seeded hash of the text: the same rows land in the same split whatever the partitioning
        Dataset<Row> withSplit = data.withColumn(
                "_test",
                xxhash64(col(QualityClassifier.TEXT), lit(seed))
                        .bitwiseAND(lit(0x7fffffffL))
                        .mod(lit(10_000))
                        .lt(lit((long) Math.round(testFraction * 10_000))));
        withSplit.cache();
        Dataset<Row> train = withSplit.filter("not _test");
        Dataset<Row> test = withSplit.filter("_test");
        long trainPos = train.filter(col(QualityClassifier.LABEL).equalTo(1.0)).count();
        long trainNeg = train.filter(col(QualityClassifier.LABEL).equalTo(0.0)).count();
        if (trainPos == 0 || trainNeg == 0) {
            throw new UserError("need both positive and negative documents in the training split (got " + trainPos
                    + " positive, " + trainNeg + " negative)");
        }
        // balance the classes: each contributes half of the loss
        double total = trainPos + trainNeg;
        Dataset<Row> weighted = train.withColumn(
                QualityClassifier.WEIGHT,
                when(col(QualityClassifier.LABEL).equalTo(1.0), lit(total / (2 * trainPos)))
                        .otherwise(lit(total / (2 * trainNeg))));
        long t0 = System.nanoTime();
        PipelineModel model =
                QualityClassifier.pipeline(numFeatures, reg, maxIter).fit(weighted);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> metrics = evaluate(model.transform(test));
        metrics.put("train_positive", trainPos);
        metrics.put("train_negative", trainNeg);
        metrics.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
        if (positive != null) {
            metrics.put("positive", positive + (positiveWhere == null ? "" : " where " + positiveWhere));
            metrics.put("negative", negative + (negativeWhere == null ? "" : " where " + negativeWhere));
        }
        if (labels != null) {
            metrics.put(
                    "labels",
                    inputs.get(inputs.size() - 1).table() + "@"
                            + inputs.get(inputs.size() - 1).version());
        }
        metrics.put(
                "params",
                Map.of(
                        "num_features",
                        numFeatures,
                        "reg",
                        reg,
                        "max_iter",
                        maxIter,
                        "seed",
                        seed,
                        "test_fraction",
                        testFraction,
                        "ngrams",
                        List.of(1, 2)));
        withSplit.unpersist();
        String path = lake().locate(output).path();
        try {
            model.write().overwrite().save(path);
            Path file = new Path(path, "tokenmill-metrics.json");
            FileSystem fs = file.getFileSystem(lake().hadoopConf());
            try (OutputStream out = fs.create(file, true)) {
                out.write(Json.pretty(metrics).getBytes(StandardCharsets.UTF_8));
            }
            Map<String, Object> config = new LinkedHashMap<>(params(metrics));
            config.put("positive_where", positiveWhere);
            config.put("negative_where", negativeWhere);
            config.put("text_column", textColumn);
            FilesCommitter.write(
                    new Path(path, "tokenmill-lineage.json").toString(),
                    lake().hadoopConf(),
                    FilesCommitter.lineage(
                            "train-quality-model",
                            null,
                            inputs,
                            output,
                            config,
                            seed,
                            null,
                            started,
                            java.time.Duration.between(started, java.time.Instant.now())
                                    .toMillis(),
                            metricsOnly(metrics)));
        } catch (IOException e) {
            throw new dev.tokenmill.jobs.JobFailure("cannot write the model to " + path + ": " + e.getMessage(), e);
        }
        metrics.put("model", path);
        if (json) {
            printJson(metrics);
            return;
        }
        TextTable t = new TextTable(100, "metric", "value");
        metrics.forEach(t::row);
        t.print(out());
        out().flush();
    }

    private Dataset<Row> labelled(String table, String where, double label, List<Lineage.Input> inputs) {
        Resolved r = resolve(table);
        inputs.add(Lineage.Input.table(r.table().name(), r.table().path(), r.version()));
        Dataset<Row> df = lake().read(r.table(), r.version());
        if (!List.of(df.columns()).contains(textColumn)) {
            throw new UserError("table " + r.label() + " has no column '" + textColumn + "'");
        }
        df = SqlFilter.apply(df, where, label == 1.0 ? "--positive-where" : "--negative-where");
        return withText(df.select(col(textColumn).as(QualityClassifier.TEXT)))
                .withColumn(QualityClassifier.LABEL, lit(label));
    }

    /** The labelled rows of a labels table (the pending ones wait for a later training). */
    private Dataset<Row> fromLabels(List<Lineage.Input> inputs) {
        Resolved r = resolve(labels);
        inputs.add(Lineage.Input.table(r.table().name(), r.table().path(), r.version()));
        Dataset<Row> df = lake().read(r.table(), r.version());
        try {
            LabelsTable.requireShape(df.schema(), r.label());
        } catch (IllegalArgumentException e) {
            throw new UserError("--labels: " + e.getMessage());
        }
        return withText(df.filter(col(LabelsTable.LABEL).isNotNull())
                .select(
                        col(LabelsTable.TEXT).as(QualityClassifier.TEXT),
                        col(LabelsTable.LABEL).cast("double").as(QualityClassifier.LABEL)));
    }

    /** Rows with a non-empty text: an empty document teaches the classifier nothing. */
    private static Dataset<Row> withText(Dataset<Row> df) {
        Column text = col(QualityClassifier.TEXT);
        return df.filter(
                text.isNotNull().and(org.apache.spark.sql.functions.length(text).gt(0)));
    }

    /** Held-out precision / recall / F1 of the positive class at 0.5, accuracy and ROC AUC. */
    public static Map<String, Object> evaluate(Dataset<Row> scored) {
        Row c = scored.selectExpr(
                        "sum(case when label = 1 and _qc_prediction = 1 then 1 else 0 end)",
                        "sum(case when label = 0 and _qc_prediction = 1 then 1 else 0 end)",
                        "sum(case when label = 1 and _qc_prediction = 0 then 1 else 0 end)",
                        "sum(case when label = 0 and _qc_prediction = 0 then 1 else 0 end)")
                .first();
        long tp = c.isNullAt(0) ? 0 : c.getLong(0);
        long fp = c.isNullAt(1) ? 0 : c.getLong(1);
        long fn = c.isNullAt(2) ? 0 : c.getLong(2);
        long tn = c.isNullAt(3) ? 0 : c.getLong(3);
        double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        double auc = tp + fn == 0 || fp + tn == 0
                ? Double.NaN
                : new BinaryClassificationEvaluator()
                        .setRawPredictionCol(QualityClassifier.RAW)
                        .setLabelCol(QualityClassifier.LABEL)
                        .setMetricName("areaUnderROC")
                        .evaluate(scored);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_positive", tp + fn);
        m.put("test_negative", fp + tn);
        m.put("precision", round(precision));
        m.put("recall", round(recall));
        m.put("f1", round(f1));
        m.put("accuracy", round((tp + tn) / (double) Math.max(1, tp + fp + fn + tn)));
        m.put("roc_auc", Double.isNaN(auc) ? null : round(auc));
        m.put("confusion", Map.of("tp", tp, "fp", fp, "fn", fn, "tn", tn));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Map<String, Object> metrics) {
        return (Map<String, Object>) metrics.get("params");
    }

    private static Map<String, Object> metricsOnly(Map<String, Object> metrics) {
        Map<String, Object> m = new LinkedHashMap<>(metrics);
        m.remove("params");
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
