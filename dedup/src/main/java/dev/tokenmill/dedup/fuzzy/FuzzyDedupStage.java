package dev.tokenmill.dedup.fuzzy;

import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.core.SideTables;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.dedup.minhash.ShingleSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * The {@code dedup-fuzzy} stage: MinHash LSH near-duplicate removal. Signatures and band hashes per document
 * ({@link Signatures}), candidate pairs from band buckets ({@link CandidatePairs}), optionally verified by exact
 * Jaccard of the shingle sets (an indexed document's from the index), then connected components ({@link ConnectedComponents}). In each component one
 * document is kept — an earlier batch's document first, then the highest {@code quality_score}, then the lowest
 * id — and the others in this input are rejected as {@code near-duplicate} with the kept id and their Jaccard to
 * it (an indexed document that is in the input again can lose to another earlier one its new neighbours connect
 * it to, as it would in one batch; one not in the input is only listed in the cluster table).
 *
 * <p>Side tables: the cluster table (one row per document in a non-singleton component, replaced each run) and
 * an optional index of the kept documents of every batch (id, node, signature, bands, quality, packed shingle set,
 * batch, seq). A batch is
 * named by a checksum of its ids; a batch already in the index is deduplicated against the batches before it
 * only and the index is left alone, so running the same batch again changes nothing.
 */
public final class FuzzyDedupStage implements Stage {
    /** The parameters as parsed (defaults filled in) plus what they resolve to: the config in lineage. */
    private final Map<String, Object> settings;

    public static final String RULE = "near-duplicate";
    public static final String QUALITY = "quality_score";

    /** Up to this many candidate documents, their ids go to the tasks as a broadcast array (8 bytes each). */
    private static final long BROADCAST_CANDIDATES = 4_000_000;
    /** Up to this many duplicates, the tagging join broadcasts them instead of shuffling the input's text. */
    private static final long BROADCAST_DUPLICATES = 500_000;

    private final FuzzyConfig config;

    public FuzzyDedupStage(Map<String, Object> settings, FuzzyConfig config) {
        this.settings = settings;
        this.config = config;
    }

    @Override
    public String name() {
        return "dedup-fuzzy";
    }

    @Override
    public Map<String, Object> config() {
        return settings;
    }

    /** A one-column dataset of node ids, collected, sorted and broadcast for binary search in the tasks. */
    private static org.apache.spark.broadcast.Broadcast<long[]> broadcastSorted(Dataset<Row> nodes) {
        long[] sorted = nodes.as(org.apache.spark.sql.Encoders.LONG()).collectAsList().stream()
                .mapToLong(Long::longValue)
                .sorted()
                .toArray();
        return org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                        nodes.sparkSession().sparkContext())
                .broadcast(sorted);
    }

    /** A batch's name: its row count and an order-free checksum of its ids. */
    private static String batchKey(Dataset<Row> ids) {
        Row r = ids.agg(count(lit(1)), bit_xor(xxhash64(ids.col(ids.columns()[0]))))
                .first();
        return String.format("%d:%016x", r.getLong(0), r.isNullAt(1) ? 0L : r.getLong(1));
    }

    /** Where this batch stands in the index: the earlier batches, its sequence number, whether it was seen before. */
    private record IndexState(Dataset<Row> before, int seq, boolean rerun, String batch) {}

    /**
     * Clusters the input's near-duplicates (with the index's earlier batches when there is one) and tags every
     * duplicate but the kept one. Runs Spark actions and writes the side tables (clusters, index) here: the stage needs
     * the whole table at once. Phases: the index state, features (signatures; the index's stored ones), candidate
     * pairs, what Jaccard is measured on, connected components of the verified pairs, clusters, side tables, tags.
     */
    @Override
    public Dataset<Row> apply(Dataset<Row> input, StageContext context) {
        String idCol = "`" + context.idColumn() + "`";
        String textCol = "`" + context.textColumn() + "`";
        long seed = config.seed() != null ? config.seed() : context.seed();
        SideTables side = context.sideTables();
        context.note("dedup-fuzzy: " + config.numPerm() + " permutations, threshold " + config.threshold() + " → "
                + config.lsh());
        IndexState state = indexState(input.select(col(idCol)), side);
        Dataset<Row> before = state.before();

        // an index keeps each kept document's shingle set, so a later batch's pairs with it are verified exactly;
        // an index written before it did has none (those pairs fall back to the signature estimate, said below)
        boolean storeShingles = config.index() != null;
        boolean legacyIndex = before != null && !List.of(before.columns()).contains(Signatures.SHINGLES);
        if (legacyIndex && config.verify()) {
            context.note(
                    "dedup-fuzzy: the index " + config.index()
                            + " holds no shingle sets (written by an older version): "
                            + "pairs with its documents are compared by the MinHash estimate; a new index verifies every pair exactly");
        }
        Column quality = List.of(input.columns()).contains(QUALITY)
                ? col(QUALITY).cast(DataTypes.DoubleType)
                : lit(null).cast(DataTypes.DoubleType);
        Dataset<Row> docs = input.select(col(idCol).as("id"), col(textCol).as("text"), quality.as("quality"));
        Dataset<Row>[] freshAndFeatures = features(docs, before, seed, storeShingles, legacyIndex);
        Dataset<Row> fresh = freshAndFeatures[0];
        Dataset<Row> features = context.persist(freshAndFeatures[1]);
        String batch = state.batch() != null
                ? state.batch()
                : batchKey(features.where(col("is_new")).select(col("id")));
        requireNoNodeCollision(features);

        Dataset<Row> pairs = context.persist(CandidatePairs.of(features, config.verify() ? config.anchors() : 1));
        long pairCount = pairs.count();
        context.counter("candidate_pairs").add(pairCount);
        Dataset<Row> nodeInfo = nodeInfo(context, pairs, features, fresh, seed, storeShingles);
        UserDefinedFunction similarity = udf(
                (UDF4<byte[], byte[], byte[], byte[], Double>) (sa, sb, xa, xb) ->
                        xa != null && xb != null ? ShingleSet.jaccard(xa, xb) : Signatures.estimate(sa, sb),
                DataTypes.DoubleType);

        Dataset<Row> edges = pairs;
        if (config.verify()) {
            Dataset<Row> a = nodeInfo.select(
                    col("node").as("a"),
                    col("signature").as("sa"),
                    col("shingles").as("xa"));
            Dataset<Row> b = nodeInfo.select(
                    col("node").as("b"),
                    col("signature").as("sb"),
                    col("shingles").as("xb"));
            edges = pairs.join(a, "a")
                    .join(b, "b")
                    .where(similarity
                            .apply(col("sa"), col("sb"), col("xa"), col("xb"))
                            .geq(config.threshold()))
                    .select("a", "b");
        }
        ConnectedComponents.Result components =
                ConnectedComponents.run(edges, config.maxIterations(), config.localComponentsMaxEdges());
        context.counter("verified_edges").add(components.edges());
        context.counter("components_rounds").add(components.rounds());

        Dataset<Row> clusters = context.persist(clusters(components, features, nodeInfo, similarity, batch));
        Row clusterCounts =
                clusters.agg(count(lit(1)), count(when(col("is_duplicate"), 1))).first();
        long clusterRows = clusterCounts.getLong(0);
        long duplicateCount = clusterCounts.getLong(1);
        context.counter("docs_in_clusters").add(clusterRows);

        Dataset<Row> duplicates = clusters.where(col("is_duplicate"))
                .select(
                        col("id").as("_fz_id"),
                        col("kept_id").as("_fz_kept"),
                        col("jaccard_to_kept").as("_fz_jaccard"));
        if (config.clusters() != null) {
            side.write(config.clusters(), clusters, false);
        }
        if (config.index() != null && !state.rerun()) {
            Dataset<Row> newKept = features.where(col("is_new"))
                    .join(duplicates, features.col("id").equalTo(duplicates.col("_fz_id")), "left_anti")
                    .select(
                            col("id"),
                            col("node"),
                            col("signature"),
                            col("bands"),
                            col("quality"),
                            col(Signatures.SHINGLES),
                            lit(batch).as("batch"),
                            lit(state.seq()).as("seq"));
            side.write(config.index(), newKept, true);
        }
        context.note(String.format(
                "dedup-fuzzy: batch %s (index seq %d%s), %,d candidate pairs, %,d edges, connected components in %s"
                        + ", %,d documents in clusters",
                batch,
                state.seq(),
                state.rerun() ? ", seen before" : "",
                pairCount,
                components.edges(),
                components.rounds() == 0 ? "one union-find on the driver" : components.rounds() + " distributed rounds",
                clusterRows));
        return tagged(input, idCol, duplicates, duplicateCount);
    }

    /** The index's earlier batches (a batch seen before is compared with its predecessors only). */
    private IndexState indexState(Dataset<Row> ids, SideTables side) {
        if (config.index() == null) {
            return new IndexState(null, 0, false, null);
        }
        String batch = batchKey(ids);
        if (side.version(config.index()) < 0) {
            return new IndexState(null, 0, false, batch);
        }
        Dataset<Row> index = side.read(config.index());
        Row seen = index.where(col("batch").equalTo(batch))
                .agg(min("seq"), count(lit(1)))
                .first();
        int seq;
        boolean rerun = seen.getLong(1) > 0;
        if (rerun) {
            seq = seen.getInt(0);
        } else {
            Row last = index.agg(max("seq")).first();
            seq = last.isNullAt(0) ? 0 : last.getInt(0) + 1;
        }
        return new IndexState(index.where(col("seq").lt(seq)), seq, rerun, batch);
    }

    /**
     * {fresh documents, features}: signatures of the documents not yet in the index (those keep their stored ones:
     * skipped by a broadcast set of their nodes when it is small enough, no shuffle of the batch's text, else by an
     * anti join), unioned with the index's documents.
     */
    @SuppressWarnings("unchecked")
    private Dataset<Row>[] features(
            Dataset<Row> docs, Dataset<Row> before, long seed, boolean storeShingles, boolean legacyIndex) {
        Dataset<Row> fresh = docs;
        Dataset<Row> features;
        long indexed = before == null ? 0 : before.count();
        if (indexed > 0 && indexed <= BROADCAST_CANDIDATES) {
            var skip = broadcastSorted(before.select("node"));
            features =
                    Signatures.compute(docs, config, seed, skip, storeShingles).withColumn("is_new", lit(true));
            fresh = docs.where(org.apache
                    .spark
                    .sql
                    .functions
                    .udf(
                            (org.apache.spark.sql.api.java.UDF1<String, Boolean>) id ->
                                    id != null && java.util.Arrays.binarySearch(skip.value(), Signatures.node(id)) < 0,
                            DataTypes.BooleanType)
                    .apply(col("id")));
        } else {
            if (indexed > 0) {
                fresh = docs.join(before.select("id"), docs.col("id").equalTo(before.col("id")), "left_anti");
            }
            features =
                    Signatures.compute(fresh, config, seed, null, storeShingles).withColumn("is_new", lit(true));
        }
        if (before != null) {
            Column storedShingles = legacyIndex ? lit(null).cast(DataTypes.BinaryType) : col(Signatures.SHINGLES);
            // an indexed document that is in this input again (a table re-run whole after more was ingested) can
            // still lose to another; one that is not stays where the earlier run put it
            Dataset<Row> present = docs.select(col("id").as("present_id"));
            features = features.withColumn("in_input", lit(true))
                    .unionByName(before.join(present, before.col("id").equalTo(present.col("present_id")), "left")
                            .select(
                                    col("node"),
                                    col("id"),
                                    col("signature"),
                                    col("bands"),
                                    col("quality"),
                                    storedShingles.as(Signatures.SHINGLES),
                                    lit(false).as("is_new"),
                                    col("present_id").isNotNull().as("in_input")));
        } else {
            features = features.withColumn("in_input", lit(true));
        }
        return new Dataset[] {fresh, features};
    }

    private static void requireNoNodeCollision(Dataset<Row> features) {
        Row clash = features.groupBy("node")
                .agg(countDistinct(col("id")).as("ids"))
                .where(col("ids").gt(1))
                .agg(count(lit(1)))
                .first();
        if (clash.getLong(0) > 0) {
            throw new IllegalStateException(
                    "dedup-fuzzy: " + clash.getLong(0) + " 64-bit node hash collision(s) between ids");
        }
    }

    /** What Jaccard is measured on: exact shingle sets for this batch's candidates, signatures otherwise. */
    private Dataset<Row> nodeInfo(
            StageContext context,
            Dataset<Row> pairs,
            Dataset<Row> features,
            Dataset<Row> fresh,
            long seed,
            boolean storeShingles) {
        if (!config.verify()) {
            return features.select(
                    col("node"),
                    col("signature"),
                    lit(null).cast(DataTypes.BinaryType).as("shingles"));
        }
        Dataset<Row> candidates = context.persist(pairs.select(col("a").as("node"))
                .union(pairs.select(col("b").as("node")))
                .distinct());
        if (storeShingles) {
            // every document's set is already in the features (this batch's computed, the index's stored)
            return context.persist(features.select(col("node"), col("signature"), col(Signatures.SHINGLES))
                    .join(candidates, "node"));
        }
        Dataset<Row> sets;
        if (candidates.count() <= BROADCAST_CANDIDATES) {
            sets = Signatures.shingleSets(fresh, config, seed, broadcastSorted(candidates));
        } else {
            Dataset<Row> candidateDocs = features.where(col("is_new"))
                    .select("node", "id")
                    .join(candidates, "node")
                    .select(col("id").as("cid"));
            Dataset<Row> texts =
                    fresh.join(candidateDocs, fresh.col("id").equalTo(candidateDocs.col("cid")), "left_semi");
            sets = Signatures.shingleSets(texts, config, seed, null);
        }
        Dataset<Row> withSets = sets.select(col("node").as("s_node"), col("shingles"));
        Dataset<Row> signed = features.select("node", "signature").join(candidates, "node");
        return context.persist(signed.join(withSets, signed.col("node").equalTo(withSets.col("s_node")), "left")
                .drop("s_node"));
    }

    /** One row per clustered document: its cluster, the kept document (an earlier batch's, then the best quality, then the lowest id). */
    private static Dataset<Row> clusters(
            ConnectedComponents.Result components,
            Dataset<Row> features,
            Dataset<Row> nodeInfo,
            UserDefinedFunction similarity,
            String batch) {
        Dataset<Row> members = components
                .members()
                .join(features.select("node", "id", "is_new", "in_input", "quality"), ConnectedComponents.NODE);
        Column preference =
                struct(col("is_new"), coalesce(col("quality").multiply(-1), lit(Double.MAX_VALUE)), col("id"));
        Dataset<Row> kept = members.groupBy(ConnectedComponents.ROOT)
                .agg(
                        min_by(struct(col("node").as("kept_node"), col("id").as("kept_id")), preference)
                                .as("k"),
                        count(lit(1)).as("cluster_size"))
                .select(
                        col(ConnectedComponents.ROOT).as("k_root"),
                        col("k.kept_node"),
                        col("k.kept_id"),
                        col("cluster_size"));
        Dataset<Row> info = nodeInfo.select(
                col("node").as("i_node"),
                col("signature").as("i_sig"),
                col("shingles").as("i_sh"));
        Dataset<Row> keptInfo = nodeInfo.select(
                col("node").as("k_node"),
                col("signature").as("k_sig"),
                col("shingles").as("k_sh"));
        return members.join(kept, members.col(ConnectedComponents.ROOT).equalTo(kept.col("k_root")))
                .join(info, col("node").equalTo(col("i_node")))
                .join(keptInfo, col("kept_node").equalTo(col("k_node")))
                .select(
                        col("id"),
                        col(ConnectedComponents.ROOT).as("cluster_id"),
                        col("kept_id"),
                        col("in_input")
                                .and(col("node").notEqual(col("kept_node")))
                                .as("is_duplicate"),
                        when(col("node").equalTo(col("kept_node")), lit(1.0))
                                .otherwise(similarity.apply(col("i_sig"), col("k_sig"), col("i_sh"), col("k_sh")))
                                .as("jaccard_to_kept"),
                        col("cluster_size").cast(DataTypes.IntegerType).as("cluster_size"),
                        lit(batch).as("batch"));
    }

    /** The input with each duplicate tagged (rule, Jaccard to the kept document, threshold, kept id). */
    private Dataset<Row> tagged(Dataset<Row> input, String idCol, Dataset<Row> duplicates, long duplicateCount) {
        Dataset<Row> rejects = duplicateCount <= BROADCAST_DUPLICATES
                ? org.apache.spark.sql.functions.broadcast(duplicates)
                : duplicates;
        Dataset<Row> joined = input.join(rejects, input.col(idCol).equalTo(rejects.col("_fz_id")), "left");
        Column tag = when(
                        col("_fz_id").isNotNull(),
                        struct(
                                lit(RULE).as("rule"),
                                col("_fz_jaccard").as("value"),
                                lit(config.threshold()).as("threshold"),
                                concat(lit("kept_id="), col("_fz_kept")).as("detail")))
                .otherwise(lit(null).cast(Rejection.TYPE));
        return joined.withColumn(Rejection.COLUMN, tag).drop("_fz_id", "_fz_kept", "_fz_jaccard");
    }
}
