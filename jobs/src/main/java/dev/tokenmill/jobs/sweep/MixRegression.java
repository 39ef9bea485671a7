package dev.tokenmill.jobs.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * RegMix's regression step: from proxy runs' mixture weights to their target loss, with Spark MLlib. {@code gbt}
 * (the default) is gradient-boosted regression trees, the family RegMix found best (LightGBM in the paper): it
 * captures the interactions between sources a linear model cannot, and MLlib's implementation is already on the
 * classpath (no native library, seeded). {@code linear} is RegMix's other baseline: least squares on the weights with
 * a small L2 penalty (the weights add up to 1, so the columns and the intercept are collinear without it). The fitted
 * model is used on the driver, one mixture at a time, which is what the search over candidates needs.
 */
final class MixRegression {
    static final List<String> KINDS = List.of("gbt", "linear");

    private MixRegression() {}

    static ToDoubleFunction<double[]> fit(
            SparkSession spark, List<double[]> weights, double[] loss, String kind, long seed) {
        if (weights.size() != loss.length || weights.size() < 2) {
            throw new IllegalArgumentException("need at least 2 runs with a loss to fit a regression");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) {
            rows.add(RowFactory.create(Vectors.dense(weights.get(i)), loss[i]));
        }
        Dataset<Row> data = spark.createDataFrame(
                rows,
                new StructType()
                        .add("features", SQLDataTypes.VectorType(), false)
                        .add("label", DataTypes.DoubleType, false));
        switch (kind) {
            case "gbt" -> {
                GBTRegressionModel m = new GBTRegressor()
                        .setMaxIter(100)
                        .setStepSize(0.1)
                        .setMaxDepth(3)
                        .setMinInstancesPerNode(2)
                        .setSeed(seed)
                        .fit(data);
                return w -> m.predict(Vectors.dense(w));
            }
            case "linear" -> {
                LinearRegressionModel m = new LinearRegression()
                        .setRegParam(1e-4)
                        .setElasticNetParam(0)
                        .fit(data);
                return w -> m.predict(Vectors.dense(w));
            }
            default -> throw new IllegalArgumentException("regression must be one of " + KINDS + ", got " + kind);
        }
    }
}
