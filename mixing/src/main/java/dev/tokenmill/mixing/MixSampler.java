package dev.tokenmill.mixing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftRight;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Draws a mixture from source tables, exactly and reproducibly. Each document gets a seeded 64-bit hash of
 * (seed, phase, source, id); a stratum (a source, or one value of the balance column within it) contributes its
 * whole epochs plus a prefix of the next one in hash order, cut where the running size is closest to the budget —
 * so realised sizes are within one document of the plan, a larger budget only adds documents, and nothing
 * depends on partitioning. The cut is found in two light passes: sizes per 4,096 hash buckets, then the one
 * bucket that crosses the budget, sorted on the driver.
 *
 * <p>Output rows carry {@code id} — a key whose sort order is the training order (phase, then the curriculum
 * column if any, then a seeded shuffle) — plus {@code source}, {@code source_id}, {@code epoch}, {@code phase},
 * {@code units} and the sources' common columns.
 */
public final class MixSampler {
    /** Reserved input columns: the document's size in the mixing unit and its stratum label. */
    public static final String UNITS = "_units";
    public static final String STRATUM = "_stratum";
    private static final int BUCKET_SHIFT = 52;

    /** One input: its name, weight, epoch cap and rows (with id, text, {@link #UNITS}, {@link #STRATUM}). */
    public record Input(String name, double weight, double maxEpochs, Dataset<Row> rows) {
    }

    /** A phase: a share of the target with its own weights (null = the sources' weights) or temperature. */
    public record Phase(String name, double fraction, Map<String, Double> weights, Double temperature) {
    }

    /** Curriculum: order each phase by a numeric column (then the shuffle), or null for a pure shuffle. */
    public record Order(String column, boolean descending) {
    }

    /** What was planned and drawn, per phase and stratum. */
    public record Drawn(String phase, String source, String stratum, MixPlan.Allocation plan, long available, long documents,
                        double units) {
    }

    /** The drawn rows (cached: count them, write them, then {@link #release()}) and the per-stratum figures. */
    public record Result(Dataset<Row> rows, List<Drawn> drawn, List<Dataset<Row>> cached) {
        public void release() {
            cached.forEach(Dataset::unpersist);
        }
    }

    private MixSampler() {
    }

    public static Result sample(List<Input> inputs, String idColumn, String textColumn, double target, List<Phase> phases,
                                Order order, long seed) {
        // the columns every source has with the same type travel along
        List<StructField> common = new ArrayList<>();
        StructType first = inputs.get(0).rows().schema();
        for (StructField f : first.fields()) {
            String n = f.name();
            if (n.equals(idColumn) || n.equals(textColumn) || n.equals(UNITS) || n.equals(STRATUM)
                || List.of("id", "source", "source_id", "epoch", "phase", "units", "text").contains(n)) {
                continue;
            }
            boolean everywhere = inputs.stream().allMatch(in -> List.of(in.rows().columns()).contains(n)
                && in.rows().schema().apply(n).dataType().equals(f.dataType()));
            if (everywhere) {
                common.add(f);
            }
        }
        if (order != null && common.stream().noneMatch(f -> f.name().equals(order.column()))) {
            throw new IllegalArgumentException("order_by column '" + order.column() + "' is not in every source");
        }
        Dataset<Row> all = null;
        for (Input in : inputs) {
            List<Column> cols = new ArrayList<>(List.of(lit(in.name()).as("source"), col("`" + idColumn + "`").cast("string").as("source_id"),
                col("`" + textColumn + "`").as("text"), col(UNITS).cast("double").as(UNITS), col(STRATUM).cast("string").as(STRATUM)));
            common.forEach(f -> cols.add(col("`" + f.name() + "`")));
            Dataset<Row> d = in.rows().select(cols.toArray(Column[]::new));
            all = all == null ? d : all.unionByName(d);
        }
        all = all.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        // sizes per stratum
        Map<String, double[]> sizes = new LinkedHashMap<>();   // "source\u0000stratum" → {units, documents}
        for (Row r : all.groupBy("source", STRATUM).agg(sum(UNITS), count(lit(1))).orderBy("source", STRATUM).collectAsList()) {
            sizes.put(r.getString(0) + "\u0000" + r.getString(1), new double[] {r.isNullAt(2) ? 0 : r.getDouble(2), r.getLong(3)});
        }
        Map<String, Input> byName = new HashMap<>();
        inputs.forEach(in -> byName.put(in.name(), in));
        Map<String, Integer> strataPerSource = new HashMap<>();
        sizes.keySet().forEach(k -> strataPerSource.merge(k.split("\u0000", -1)[0], 1, Integer::sum));

        List<Drawn> drawn = new ArrayList<>();
        Dataset<Row> out = null;
        StructType outSchema = outputSchema(common);
        for (int p = 0; p < phases.size(); p++) {
            Phase phase = phases.get(p);
            long phaseSeed = seed * 31 + p;
            List<MixPlan.Source> plan = new ArrayList<>();
            List<String> keys = new ArrayList<>(sizes.keySet());
            for (String k : keys) {
                String source = k.split("\u0000", -1)[0];
                Input in = byName.get(source);
                double w = phase.weights() != null && phase.weights().containsKey(source) ? phase.weights().get(source) : in.weight();
                plan.add(new MixPlan.Source(k, sizes.get(k)[0], w / strataPerSource.get(source), in.maxEpochs()));
            }
            List<MixPlan.Allocation> alloc = MixPlan.allocate(plan, target * phase.fraction(), phase.temperature());
            Column hash = xxhash64(lit(phaseSeed), col("source"), col("source_id"));
            Dataset<Row> hashed = all.withColumn("_h", hash);
            Map<String, long[]> cuts = cuts(hashed, keys, alloc);
            Map<String, Integer> full = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                full.put(keys.get(i), alloc.get(i).fullEpochs());
            }
            int orderIndex = -1;
            for (int c = 0; order != null && c < common.size(); c++) {
                if (common.get(c).name().equals(order.column())) {
                    orderIndex = 5 + c;
                }
            }
            Dataset<Row> picked = hashed.flatMap(copies(full, cuts, phase.name(), p, phaseSeed, orderIndex,
                    order != null && order.descending(), common.size()),
                Encoders.row(outSchema));
            out = out == null ? picked : out.union(picked);
            for (int i = 0; i < keys.size(); i++) {
                String[] k = keys.get(i).split("\u0000", -1);
                drawn.add(new Drawn(phase.name(), k[0], k[1], alloc.get(i), (long) sizes.get(keys.get(i))[1], 0, 0));
            }
        }
        out = out.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        // realised sizes
        Map<String, double[]> realised = new HashMap<>();
        for (Row r : out.groupBy("phase", "source", STRATUM).agg(sum("units"), count(lit(1))).collectAsList()) {
            realised.put(r.getString(0) + "\u0000" + r.getString(1) + "\u0000" + r.getString(2),
                new double[] {r.isNullAt(3) ? 0 : r.getDouble(3), r.getLong(4)});
        }
        List<Drawn> result = new ArrayList<>();
        for (Drawn d : drawn) {
            double[] got = realised.getOrDefault(d.phase() + "\u0000" + d.source() + "\u0000" + d.stratum(), new double[2]);
            result.add(new Drawn(d.phase(), d.source(), d.stratum(), d.plan(), d.available(), (long) got[1], got[0]));
        }
        return new Result(out.drop(STRATUM), result, List.of(all, out));
    }

    private static StructType outputSchema(List<StructField> common) {
        StructType s = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("source", DataTypes.StringType, false)
            .add("source_id", DataTypes.StringType, true)
            .add("epoch", DataTypes.IntegerType, false)
            .add("phase", DataTypes.StringType, false)
            .add("units", DataTypes.DoubleType, true)
            .add("text", DataTypes.StringType, true)
            .add(STRATUM, DataTypes.StringType, true);
        for (StructField f : common) {
            s = s.add(f);
        }
        return s;
    }

    /**
     * Per stratum, the last (hash, source_id) of the partial epoch's prefix: the prefix whose size is closest to
     * the budget. Absent = no partial epoch.
     */
    private static Map<String, long[]> cuts(Dataset<Row> hashed, List<String> keys, List<MixPlan.Allocation> alloc) {
        Map<String, Double> want = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            if (alloc.get(i).partialUnits() > 0) {
                want.put(keys.get(i), alloc.get(i).partialUnits());
            }
        }
        Map<String, long[]> cuts = new HashMap<>();
        if (want.isEmpty()) {
            return cuts;
        }
        Column key = org.apache.spark.sql.functions.concat_ws("\u0000", col("source"), col(STRATUM));
        Dataset<Row> withKey = hashed.withColumn("_k", key).withColumn("_b", shiftRight(col("_h"), BUCKET_SHIFT));
        Map<String, List<double[]>> buckets = new HashMap<>();
        for (Row r : withKey.groupBy("_k", "_b").agg(sum(UNITS)).collectAsList()) {
            buckets.computeIfAbsent(r.getString(0), x -> new ArrayList<>()).add(new double[] {r.getLong(1), r.isNullAt(2) ? 0 : r.getDouble(2)});
        }
        Map<String, long[]> crossing = new HashMap<>();   // key → {bucket, units before it (as double bits)}
        for (Map.Entry<String, Double> e : want.entrySet()) {
            List<double[]> bs = buckets.getOrDefault(e.getKey(), List.of());
            bs.sort(Comparator.comparingDouble(b -> b[0]));
            double before = 0;
            for (double[] b : bs) {
                if (before + b[1] >= e.getValue()) {
                    crossing.put(e.getKey(), new long[] {(long) b[0], Double.doubleToLongBits(before)});
                    break;
                }
                before += b[1];
            }
            if (!crossing.containsKey(e.getKey())) {
                cuts.put(e.getKey(), new long[] {Long.MAX_VALUE});   // the whole stratum (rounding at the top)
            }
        }
        if (crossing.isEmpty()) {
            return cuts;
        }
        Column inCrossing = null;
        for (Map.Entry<String, long[]> c : crossing.entrySet()) {
            Column one = col("_k").equalTo(lit(c.getKey())).and(col("_b").equalTo(lit(c.getValue()[0])));
            inCrossing = inCrossing == null ? one : inCrossing.or(one);
        }
        Map<String, List<Row>> members = new HashMap<>();
        for (Row r : withKey.where(inCrossing).select("_k", "_h", "source_id", UNITS).collectAsList()) {
            members.computeIfAbsent(r.getString(0), x -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, long[]> c : crossing.entrySet()) {
            List<Row> rows = members.getOrDefault(c.getKey(), new ArrayList<>());
            rows.sort(Comparator.<Row>comparingLong(r -> r.getLong(1)).thenComparing(r -> r.isNullAt(2) ? "" : r.getString(2)));
            double running = Double.longBitsToDouble(c.getValue()[1]);
            double budget = want.get(c.getKey());
            long[] cut = null;
            for (Row r : rows) {
                double next = running + (r.isNullAt(3) ? 0 : r.getDouble(3));
                if (next > budget && next - budget > budget - running) {
                    break;                                   // stopping here is closer to the budget
                }
                running = next;
                cut = new long[] {r.getLong(1)};
                if (running >= budget) {
                    break;
                }
            }
            // documents are cut by hash alone: only a repeated id within one source can tie
            if (cut == null) {
                // nothing of the crossing bucket: everything below it (bucket b holds hashes from b << 52)
                long b = c.getValue()[0];
                cut = new long[] {b == (Long.MIN_VALUE >> BUCKET_SHIFT) ? Long.MIN_VALUE : (b << BUCKET_SHIFT) - 1};
            }
            cuts.put(c.getKey(), cut);
        }
        return cuts;
    }

    private static FlatMapFunction<Row, Row> copies(Map<String, Integer> full, Map<String, long[]> cuts, String phase,
                                                    int phaseIndex, long phaseSeed, int orderIndex, boolean descending,
                                                    int commonColumns) {
        return r -> {
            // input layout: source, source_id, text, _units, _stratum, common..., _h
            String source = r.getString(0);
            String stratum = r.getString(4);
            String key = source + "\u0000" + stratum;
            long h = r.getLong(5 + commonColumns);
            int n = full.getOrDefault(key, 0);
            long[] cut = cuts.get(key);
            if (cut != null && h <= cut[0]) {
                n++;
            }
            List<Row> out = new ArrayList<>(n);
            for (int e = 0; e < n; e++) {
                Object[] v = new Object[8 + commonColumns];
                String curriculum = orderIndex < 0 ? "" : sortable(r.get(orderIndex), descending) + "-";
                long shuffle = net.openhft.hashing.LongHashFunction.xx3(phaseSeed).hashChars(source + "\u0000" + r.getString(1) + "\u0000" + e);
                v[0] = String.format("%03d-%s%016x", phaseIndex, curriculum, shuffle ^ Long.MIN_VALUE);
                v[1] = source;
                v[2] = r.get(1);
                v[3] = e;
                v[4] = phase;
                v[5] = r.isNullAt(3) ? null : r.getDouble(3);
                v[6] = r.get(2);
                v[7] = stratum;
                for (int c = 0; c < commonColumns; c++) {
                    v[8 + c] = r.get(5 + c);
                }
                out.add(RowFactory.create(v));
            }
            return out.iterator();
        };
    }

    /** A number as 16 hex digits whose string order is the numeric order (nulls last; descending flips it). */
    static String sortable(Object x, boolean descending) {
        if (!(x instanceof Number num)) {
            return "ffffffffffffffff";
        }
        long bits = Double.doubleToLongBits(num.doubleValue());
        long key = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
        if (descending) {
            key = ~key;
        }
        return String.format("%016x", key);
    }
}
