package dev.tokenmill.dedup.fuzzy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Candidate pairs from band buckets: all pairs in small buckets, a linear number in a hot one, new-document rule. */
class CandidatePairsTest {
    private static SparkSession spark;
    private static final StructType DOCS = new StructType()
            .add("node", DataTypes.LongType)
            .add("is_new", DataTypes.BooleanType)
            .add(Signatures.BANDS, DataTypes.createArrayType(DataTypes.LongType));

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("pairs-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Set<List<Long>> pairs(List<Row> docs, int anchors) {
        Set<List<Long>> out = new HashSet<>();
        for (Row r :
                CandidatePairs.of(spark.createDataFrame(docs, DOCS), anchors).collectAsList()) {
            out.add(List.of(Math.min(r.getLong(0), r.getLong(1)), Math.max(r.getLong(0), r.getLong(1))));
        }
        return out;
    }

    @Test
    void smallBucketsGiveEveryPairOnce() {
        List<Row> docs = List.of(
                RowFactory.create(1L, true, new Long[] {10L, 20L}),
                RowFactory.create(2L, true, new Long[] {10L, 21L}),
                RowFactory.create(3L, true, new Long[] {10L, 20L}),
                RowFactory.create(4L, true, new Long[] {11L, 22L}),
                // same hash value in another band is another bucket
                RowFactory.create(5L, true, new Long[] {20L, 23L}));
        assertEquals(Set.of(List.of(1L, 2L), List.of(1L, 3L), List.of(2L, 3L)), pairs(docs, 8));
    }

    @Test
    void aHotBucketCostsAnchorsTimesItsSizeNotItsSizeSquared() {
        int k = 3000;
        List<Row> docs = new ArrayList<>();
        for (long n = 0; n < k; n++) {
            docs.add(RowFactory.create(n, true, new Long[] {7L, 8L, 9L})); // one bucket in each of three bands
        }
        // member of rank r pairs with the min(r − 1, 8) anchors before it: 1 + … + 7 + 8·(k − 8)
        assertEquals(28 + 8 * (k - 8), pairs(docs, 8).size(), "instead of k(k−1)/2 = " + (long) k * (k - 1) / 2);
        assertEquals(k - 1, pairs(docs, 1).size(), "one anchor: a star on the smallest node");
    }

    @Test
    void pairsBetweenEarlierBatchesAreNotRevisited() {
        List<Row> docs = List.of(
                RowFactory.create(1L, false, new Long[] {10L}),
                RowFactory.create(2L, false, new Long[] {10L}),
                RowFactory.create(3L, true, new Long[] {10L}));
        assertEquals(Set.of(List.of(1L, 3L), List.of(2L, 3L)), pairs(docs, 8));
    }
}
