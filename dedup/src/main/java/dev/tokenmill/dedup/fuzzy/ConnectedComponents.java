package dev.tokenmill.dedup.fuzzy;

import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Connected components of an undirected graph of {@code long} nodes on Spark Datasets, by the alternating
 * large-star / small-star algorithm (Kiveris et al., "Connected Components in MapReduce and Beyond", SoCC 2014):
 * O(log² n) rounds, each a few shuffles of the edge list, no state on the driver. It ends when a round changes no
 * edge; the graph is then a set of stars whose centre is the smallest node of each component. Every round is
 * checkpointed (reliably when the session has a checkpoint directory, else locally) so the plan does not grow
 * with the rounds. Deterministic: only minima are taken.
 */
public final class ConnectedComponents {
    public static final String NODE = "node";
    public static final String ROOT = "root";

    /** What a run did, for lineage; {@code rounds} is 0 when the graph was small enough for the driver. */
    public record Result(Dataset<Row> members, int rounds, long edges) {}

    public static Result run(Dataset<Row> edges, int maxRounds) {
        return run(edges, maxRounds, 0);
    }

    private ConnectedComponents() {}

    /**
     * {@code edges} has two long columns {@code a}, {@code b}. Returns (node, root) for every node on an edge,
     * roots included (mapped to themselves). A graph of at most {@code localMaxEdges} distinct edges is collected
     * and solved by union-find on the driver (16 bytes an edge): the same answer without a dozen small distributed
     * rounds, which on a small graph cost far more in scheduling than in work.
     */
    public static Result run(Dataset<Row> edges, int maxRounds, long localMaxEdges) {
        // oriented u > v, self-loops and repeats removed
        Dataset<Row> e = checkpoint(edges.select(
                        greatest(col("a"), col("b")).as("u"),
                        least(col("a"), col("b")).as("v"))
                .where(col("u").notEqual(col("v")))
                .distinct());
        long edgeCount = e.count();
        if (edgeCount <= localMaxEdges) {
            return new Result(onDriver(e), 0, edgeCount);
        }
        long[] previous = fingerprint(e);
        int round = 0;
        while (true) {
            if (round++ >= maxRounds) {
                throw new IllegalStateException("connected components did not converge in " + maxRounds + " rounds");
            }
            Dataset<Row> next = checkpoint(smallStar(largeStar(e)));
            long[] now = fingerprint(next);
            e.unpersist();
            e = next;
            if (now[0] == previous[0] && now[1] == previous[1]) {
                break;
            }
            previous = now;
        }
        Dataset<Row> stars = e.select(col("u").as(NODE), col("v").as(ROOT));
        Dataset<Row> roots = e.select(col("v").as(NODE), col("v").as(ROOT)).distinct();
        return new Result(stars.union(roots), round, edgeCount);
    }

    private static Dataset<Row> onDriver(Dataset<Row> e) {
        java.util.HashMap<Long, Long> parent = new java.util.HashMap<>();
        for (Row r : e.collectAsList()) {
            long a = find(parent, r.getLong(0));
            long b = find(parent, r.getLong(1));
            if (a != b) {
                parent.put(Math.max(a, b), Math.min(a, b));
            }
        }
        java.util.List<Row> members = new java.util.ArrayList<>(parent.size());
        for (Long node : parent.keySet()) {
            members.add(org.apache.spark.sql.RowFactory.create(node, find(parent, node)));
        }
        // every node that was only ever a root is missing from parent's keys: add it
        java.util.Set<Long> roots = new java.util.HashSet<>();
        for (Row m : members) {
            roots.add(m.getLong(1));
        }
        for (Long root : roots) {
            if (!parent.containsKey(root)) {
                members.add(org.apache.spark.sql.RowFactory.create(root, root));
            }
        }
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add(NODE, org.apache.spark.sql.types.DataTypes.LongType, false)
                .add(ROOT, org.apache.spark.sql.types.DataTypes.LongType, false);
        return e.sparkSession().createDataFrame(members, schema);
    }

    /** Root of {@code x} with path halving; a node never seen is its own root. */
    private static long find(java.util.HashMap<Long, Long> parent, long x) {
        Long p = parent.get(x);
        while (p != null && p != x) {
            Long grand = parent.get(p);
            if (grand != null && !grand.equals(p)) {
                parent.put(x, grand);
            }
            x = p;
            p = parent.get(x);
        }
        return x;
    }

    /** Each node u links all its larger neighbours to the smallest node of N(u) ∪ {u}. */
    static Dataset<Row> largeStar(Dataset<Row> e) {
        Dataset<Row> both = e.select(col("u"), col("v")).union(e.select(col("v").as("u"), col("u").as("v")));
        Dataset<Row> smallest = both.groupBy("u")
                .agg(min("v").as("m"))
                .select(col("u").as("mu"), least(col("m"), col("u")).as("m"));
        return both.join(smallest, both.col("u").equalTo(smallest.col("mu")))
                .where(col("v").gt(col("u")))
                .select(col("v").as("u"), col("m").as("v"))
                .distinct();
    }

    /** Each node u links itself and its smaller neighbours to the smallest of them (edges oriented u > v). */
    static Dataset<Row> smallStar(Dataset<Row> e) {
        Dataset<Row> smallest = e.groupBy("u").agg(min("v").as("m")).select(col("u").as("mu"), col("m"));
        Dataset<Row> linked = e.join(smallest, e.col("u").equalTo(smallest.col("mu")))
                .where(col("v").notEqual(col("m")))
                .select(col("v").as("u"), col("m").as("v"));
        return linked.union(smallest.select(col("mu").as("u"), col("m").as("v")))
                .distinct();
    }

    /** Edge count and an order-free checksum: equal for two rounds means the edge set stopped changing. */
    private static long[] fingerprint(Dataset<Row> e) {
        Row r = e.agg(count(lit(1)), bit_xor(xxhash64(col("u"), col("v")))).first();
        return new long[] {r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1)};
    }

    private static Dataset<Row> checkpoint(Dataset<Row> d) {
        boolean reliable = d.sparkSession().sparkContext().getCheckpointDir().isDefined();
        return reliable ? d.checkpoint(true) : d.localCheckpoint(true);
    }
}
