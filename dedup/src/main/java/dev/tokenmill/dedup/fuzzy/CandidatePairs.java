package dev.tokenmill.dedup.fuzzy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Candidate pairs from LSH band buckets. Inside a bucket (same band, same band hash) members are ranked by node;
 * each member is paired with the members ranked before it among the first {@code anchors}. A bucket of k ≤
 * anchors + 1 documents gives all its k(k−1)/2 pairs; a larger ("hot") bucket gives at most anchors·k, so one
 * bucket of a million copies of a boilerplate page costs a million pairs, not 5·10¹¹. The join that builds the
 * pairs buffers only the anchors of a bucket, so a hot bucket also cannot exhaust a task's memory. Without
 * verification one anchor suffices (every pair is accepted, so all members join the anchor's component).
 * Only pairs with at least one new document are kept: pairs inside earlier batches were settled when they ran.
 */
public final class CandidatePairs {
    private CandidatePairs() {}

    /** {@code docs}: node, is_new, bands. Returns distinct (a, b) with a &lt; b. */
    public static Dataset<Row> of(Dataset<Row> docs, int anchors) {
        Dataset<Row> bandRows = docs.select(
                col("node"), col("is_new"), posexplode(col(Signatures.BANDS)).as(new String[] {"band", "bucket"}));
        Dataset<Row> ranked = bandRows.withColumn(
                "rank", row_number().over(Window.partitionBy("band", "bucket").orderBy("node")));
        Dataset<Row> members = ranked.where(col("rank").geq(2))
                .select(
                        col("band"),
                        col("bucket"),
                        col("node").as("b"),
                        col("is_new").as("b_new"),
                        col("rank").as("b_rank"));
        Dataset<Row> anchorRows = ranked.where(col("rank").leq(anchors))
                .select(
                        col("band").as("a_band"),
                        col("bucket").as("a_bucket"),
                        col("node").as("a"),
                        col("is_new").as("a_new"),
                        col("rank").as("a_rank"));
        Column sameBucket = col("band")
                .equalTo(col("a_band"))
                .and(col("bucket").equalTo(col("a_bucket")))
                .and(col("a_rank").lt(col("b_rank")));
        return members.join(anchorRows, sameBucket)
                .where(col("a_new").or(col("b_new")))
                .select(col("a"), col("b"))
                .distinct();
    }
}
