package dev.tokenmill.dedup.fuzzy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Large-star / small-star on a real local SparkSession, checked against a union-find on the driver. */
class ConnectedComponentsTest {
    private static SparkSession spark;
    private static final StructType EDGES =
            new StructType().add("a", DataTypes.LongType).add("b", DataTypes.LongType);

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("cc-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Map<Long, Long> components(List<long[]> edges) {
        Map<Long, Long> distributed = components(edges, 0);
        assertEquals(distributed, components(edges, Long.MAX_VALUE), "driver union-find = distributed rounds");
        return distributed;
    }

    private static Map<Long, Long> components(List<long[]> edges, long localMaxEdges) {
        List<Row> rows = new ArrayList<>();
        edges.forEach(e -> rows.add(RowFactory.create(e[0], e[1])));
        Dataset<Row> d = spark.createDataFrame(rows, EDGES);
        Map<Long, Long> root = new HashMap<>();
        for (Row r : ConnectedComponents.run(d, 64, localMaxEdges).members().collectAsList()) {
            Long previous = root.put(r.getLong(0), r.getLong(1));
            assertEquals(null, previous, "node " + r.getLong(0) + " listed twice");
        }
        return root;
    }

    /** The expected answer: each node mapped to the smallest node of its component. */
    private static Map<Long, Long> unionFind(List<long[]> edges) {
        Map<Long, Long> parent = new HashMap<>();
        java.util.function.LongUnaryOperator[] find = new java.util.function.LongUnaryOperator[1];
        find[0] = x -> {
            long p = parent.getOrDefault(x, x);
            return p == x ? x : find[0].applyAsLong(p);
        };
        for (long[] e : edges) {
            long ra = find[0].applyAsLong(e[0]);
            long rb = find[0].applyAsLong(e[1]);
            parent.putIfAbsent(e[0], e[0]);
            parent.putIfAbsent(e[1], e[1]);
            if (ra != rb) {
                parent.put(Math.max(ra, rb), Math.min(ra, rb));
            }
        }
        Map<Long, Long> root = new HashMap<>();
        for (long node : parent.keySet()) {
            root.put(node, find[0].applyAsLong(node));
        }
        return root;
    }

    @Test
    void longChainWithNegativeNodesCollapsesToItsMinimum() {
        List<long[]> chain = new ArrayList<>();
        for (long i = -50; i < 150; i++) {
            chain.add(new long[] {i * 7919, (i + 1) * 7919});
        }
        Map<Long, Long> got = components(chain);
        assertEquals(201, got.size());
        got.values().forEach(root -> assertEquals(-50 * 7919L, (long) root));
    }

    @Test
    void selfLoopsAndRepeatedEdgesChangeNothing() {
        List<long[]> edges =
                List.of(new long[] {5, 5}, new long[] {1, 2}, new long[] {2, 1}, new long[] {1, 2}, new long[] {9, 8});
        Map<Long, Long> got = components(edges);
        assertEquals(Map.of(1L, 1L, 2L, 1L, 8L, 8L, 9L, 8L), got, "a self-loop alone is not a component");
    }

    @Test
    void randomGraphsMatchUnionFind() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 3; trial++) {
            List<long[]> edges = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                long a = random.nextLong(4000) - 1000;
                long b = random.nextLong(4000) - 1000;
                if (a != b) {
                    edges.add(new long[] {a, b});
                }
            }
            assertEquals(unionFind(edges), components(edges), "trial " + trial);
        }
    }
}
