package dev.tokenmill.quality.score;

import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * The model-based quality classifier, fastText-style: lower-cased word unigrams and bigrams, hashed into a fixed
 * feature space, IDF-weighted, into a logistic regression. One Spark ML Pipeline, so the fitted PipelineModel
 * saves and loads with Spark's own format and scores a table in a single distributed pass.
 */
public final class QualityClassifier {
    /** The column the pipeline reads; a stage renames its text column to it. */
    public static final String TEXT = "text";

    public static final String LABEL = "label";
    public static final String WEIGHT = "_qc_weight";
    public static final String RAW = "_qc_raw";
    public static final String PROBABILITY = "_qc_probability";
    public static final String PREDICTION = "_qc_prediction";
    /** The hashed uni+bigram counts of a document (before IDF): its n-gram set, for diversity. */
    public static final String TERM_COUNTS = "_qc_tf";
    /** Every column the fitted model adds, dropped after scoring. */
    public static final List<String> WORK_COLUMNS =
            List.of("_qc_words", "_qc_bigrams", "_qc_terms", TERM_COUNTS, "_qc_features", RAW, PROBABILITY, PREDICTION);

    private QualityClassifier() {}

    /** P(positive) of a scored row, from the fitted model's probability vector. */
    public static Column positiveProbability() {
        return org.apache
                .spark
                .ml
                .functions
                .vector_to_array(functions.col(PROBABILITY), "float64")
                .getItem(1);
    }

    /** The hashed n-grams present in a document: the sorted indices of its {@link #TERM_COUNTS} vector. */
    public static int[] terms(Vector counts) {
        return counts.toSparse().indices();
    }

    public static Pipeline pipeline(int numFeatures, double regParam, int maxIter) {
        RegexTokenizer words = new RegexTokenizer()
                .setInputCol(TEXT)
                .setOutputCol("_qc_words")
                .setPattern("(?U)[\\w']+")
                .setGaps(false)
                .setToLowercase(true);
        NGram bigrams = new NGram().setN(2).setInputCol("_qc_words").setOutputCol("_qc_bigrams");
        SQLTransformer terms = new SQLTransformer()
                .setStatement("SELECT *, concat(_qc_words, _qc_bigrams) AS _qc_terms FROM __THIS__");
        HashingTF tf = new HashingTF()
                .setInputCol("_qc_terms")
                .setOutputCol(TERM_COUNTS)
                .setNumFeatures(numFeatures);
        IDF idf =
                new IDF().setInputCol(TERM_COUNTS).setOutputCol("_qc_features").setMinDocFreq(2);
        LogisticRegression lr = new LogisticRegression()
                .setFeaturesCol("_qc_features")
                .setLabelCol(LABEL)
                .setWeightCol(WEIGHT)
                .setRegParam(regParam)
                // Spark standardizes features by default, which scales a hashed n-gram seen in a few documents by
                // 1/std (huge), so L2 hardly restrains its weight: the model memorises its training documents by
                // rare n-grams and its P(good) on new text collapses towards the majority class (measured on
                // Gutenberg passages vs bad pages 1 : 9: F1 0.06 at AUC 0.986 with it, F1 0.85 at AUC 0.9999
                // without; docs/benchmarks.md). fastText-style linear models regularise the raw TF-IDF weights.
                .setStandardization(false)
                .setElasticNetParam(0.0)
                .setMaxIter(maxIter)
                .setRawPredictionCol(RAW)
                .setProbabilityCol(PROBABILITY)
                .setPredictionCol(PREDICTION);
        return new Pipeline().setStages(new PipelineStage[] {words, bigrams, terms, tf, idf, lr});
    }
}
