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
 * depends on partitioning. The cut is found in two light passes: sizes per 4,096 hash buckets (which also give the
 * strata's sizes), then the rows of the one bucket that crosses the budget, sorted on the driver; the realised
 * figures follow from the cut, so the draw itself is the only full pass after that.
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
    public record Input(String name, double weight, double maxEpochs, Dataset<Row> rows) {}

    /** A phase: a share of the target with its own weights (null = the sources' weights) or temperature. */
    public record Phase(String name, double fraction, Map<String, Double> weights, Double temperature) {}

    /** Curriculum: order each phase by a numeric column (then the shuffle), or null for a pure shuffle. */
    public record Order(String column, boolean descending) {}

    /** What was planned and drawn, per phase and stratum. */
    public record Drawn(
            String phase,
            String source,
            String stratum,
            MixPlan.Allocation plan,
            long available,
            long documents,
            double units) {}

    /**
     * The mixture's size: {@code units}, or when {@code scaleOfSmallest} is positive that many times the smallest
     * source (known only after the first pass, which measures every source anyway).
     */
    public record Target(double units, double scaleOfSmallest) {
        public static Target absolute(double units) {
            return new Target(units, 0);
        }

        public static Target timesSmallest(double scale) {
            return new Target(0, scale);
        }
    }

    /** The drawn rows (cached: write them, then {@link #release()}), the per-stratum figures and the target used. */
    public record Result(Dataset<Row> rows, List<Drawn> drawn, double target, List<Dataset<Row>> cached) {
        public void release() {
            cached.forEach(Dataset::unpersist);
        }
    }

    private MixSampler() {}

    /**
     * The prepared inputs are cached (memory, then disk) for the three passes: needed for token counts, and measured
     * faster than re-reading the tables (or caching only the planning columns) even for character counts.
     */
    public static Result sample(
            List<Input> inputs,
            String idColumn,
            String textColumn,
            Target wanted,
            List<Phase> phases,
            Order order,
            long seed) {
        // the columns every source has with the same type travel along
        List<StructField> common = new ArrayList<>();
        StructType first = inputs.get(0).rows().schema();
        for (StructField f : first.fields()) {
            String n = f.name();
            if (n.equals(idColumn)
                    || n.equals(textColumn)
                    || n.equals(UNITS)
                    || n.equals(STRATUM)
                    || List.of("id", "source", "source_id", "epoch", "phase", "units", "text")
                            .contains(n)) {
                continue;
            }
            boolean everywhere = inputs.stream()
                    .allMatch(in -> List.of(in.rows().columns()).contains(n)
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
            List<Column> cols = new ArrayList<>(List.of(
                    lit(in.name()).as("source"),
                    col("`" + idColumn + "`").cast("string").as("source_id"),
                    col("`" + textColumn + "`").as("text"),
                    col(UNITS).cast("double").as(UNITS),
                    col(STRATUM).cast("string").as(STRATUM)));
            common.forEach(f -> cols.add(col("`" + f.name() + "`")));
            Dataset<Row> d = in.rows().select(cols.toArray(Column[]::new));
            all = all == null ? d : all.unionByName(d);
        }
        all = all.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        Map<String, Input> byName = new HashMap<>();
        inputs.forEach(in -> byName.put(in.name(), in));
        int orderIndex = -1;
        for (int c = 0; order != null && c < common.size(); c++) {
            if (common.get(c).name().equals(order.column())) {
                orderIndex = 5 + c;
            }
        }
        List<Drawn> drawn = new ArrayList<>();
        Dataset<Row> out = null;
        StructType outSchema = outputSchema(common);
        Map<String, double[]> sizes = null; // "source\u0000stratum" → {units, documents}, from the first histogram
        Map<String, Integer> strataPerSource = new HashMap<>();
        double target = wanted.units();
        for (int p = 0; p < phases.size(); p++) {
            Phase phase = phases.get(p);
            long phaseSeed = seed * 31 + p;
            Column hash = xxhash64(lit(phaseSeed), col("source"), col("source_id"));
            Dataset<Row> hashed = all.withColumn("_h", hash);
            // one pass: units and documents per stratum and hash bucket (the strata's sizes are their sums)
            Map<String, List<double[]>> histogram = histogram(hashed);
            if (sizes == null) {
                sizes = new java.util.TreeMap<>();
                for (Map.Entry<String, List<double[]>> e : histogram.entrySet()) {
                    double u = 0;
                    double d = 0;
                    for (double[] b : e.getValue()) {
                        u += b[1];
                        d += b[2];
                    }
                    sizes.put(e.getKey(), new double[] {u, d});
                    strataPerSource.merge(e.getKey().split("\u0000", -1)[0], 1, Integer::sum);
                }
                if (wanted.scaleOfSmallest() > 0) {
                    target = wanted.scaleOfSmallest() * smallestSource(inputs, sizes);
                }
            }
            List<MixPlan.Source> plan = new ArrayList<>();
            List<String> keys = new ArrayList<>(sizes.keySet());
            for (String k : keys) {
                String source = k.split("\u0000", -1)[0];
                Input in = byName.get(source);
                double w = phase.weights() != null && phase.weights().containsKey(source)
                        ? phase.weights().get(source)
                        : in.weight();
                plan.add(new MixPlan.Source(k, sizes.get(k)[0], w / strataPerSource.get(source), in.maxEpochs()));
            }
            List<MixPlan.Allocation> alloc = MixPlan.allocate(plan, target * phase.fraction(), phase.temperature());
            Map<String, Cut> cuts = cuts(hashed, histogram, keys, alloc);
            Map<String, Integer> full = new HashMap<>();
            Map<String, long[]> cutHashes = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                full.put(keys.get(i), alloc.get(i).fullEpochs());
                Cut c = cuts.get(keys.get(i));
                if (c != null) {
                    cutHashes.put(keys.get(i), new long[] {c.hash()});
                }
            }
            Dataset<Row> picked = hashed.flatMap(
                    copies(
                            full,
                            cutHashes,
                            phase.name(),
                            p,
                            phaseSeed,
                            orderIndex,
                            order != null && order.descending(),
                            common.size()),
                    Encoders.row(outSchema));
            out = out == null ? picked : out.union(picked);
            for (int i = 0; i < keys.size(); i++) {
                String[] k = keys.get(i).split("\u0000", -1);
                double[] size = sizes.get(keys.get(i));
                Cut c = cuts.getOrDefault(keys.get(i), new Cut(Long.MIN_VALUE, 0, 0));
                int whole = alloc.get(i).fullEpochs();
                // realised exactly: the whole epochs plus the prefix the cut took
                drawn.add(new Drawn(
                        phase.name(),
                        k[0],
                        k[1],
                        alloc.get(i),
                        (long) size[1],
                        (long) (whole * size[1] + c.documents()),
                        whole * size[0] + c.units()));
            }
        }
        return new Result(out.drop(STRATUM), drawn, target, List.of(all));
    }

    /** The units of the smallest source (an empty one counts as 0), summed over its strata. */
    private static double smallestSource(List<Input> inputs, Map<String, double[]> sizes) {
        Map<String, Double> perSource = new HashMap<>();
        inputs.forEach(in -> perSource.put(in.name(), 0.0));
        sizes.forEach((k, v) -> perSource.merge(k.split("\u0000", -1)[0], v[0], Double::sum));
        return perSource.values().stream()
                .mapToDouble(Double::doubleValue)
                .min()
                .orElse(0);
    }

    /** Per stratum key, its hash buckets as {bucket, units, documents}, sorted by bucket. */
    private static Map<String, List<double[]>> histogram(Dataset<Row> hashed) {
        Map<String, List<double[]>> buckets = new java.util.TreeMap<>();
        Dataset<Row> rows = hashed.groupBy(
                        col("source"),
                        col(STRATUM),
                        shiftRight(col("_h"), BUCKET_SHIFT).as("_b"))
                .agg(sum(UNITS), count(lit(1)));
        for (Row r : rows.collectAsList()) {
            buckets.computeIfAbsent(r.getString(0) + "\u0000" + r.getString(1), x -> new ArrayList<>())
                    .add(new double[] {r.getLong(2), r.isNullAt(3) ? 0 : r.getDouble(3), r.getLong(4)});
        }
        buckets.values().forEach(l -> l.sort(Comparator.comparingDouble(b -> b[0])));
        return buckets;
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
     * Per stratum with a partial epoch: {last hash taken (as raw bits), units taken, documents taken} — the prefix in
     * hash order whose size is closest to the budget. Only the rows of each stratum's crossing bucket are fetched.
     */
    /** The prefix of a stratum's partial epoch: the last hash taken, the units and documents taken. */
    private record Cut(long hash, double units, double documents) {}

    private static Map<String, Cut> cuts(
            Dataset<Row> hashed,
            Map<String, List<double[]>> histogram,
            List<String> keys,
            List<MixPlan.Allocation> alloc) {
        Map<String, Cut> cuts = new HashMap<>();
        Map<String, double[]> crossing =
                new HashMap<>(); // key → {bucket, units before it, documents before it, budget}
        for (int i = 0; i < keys.size(); i++) {
            double budget = alloc.get(i).partialUnits();
            if (budget <= 0) {
                continue;
            }
            double before = 0;
            double docs = 0;
            for (double[] b : histogram.getOrDefault(keys.get(i), List.of())) {
                if (before + b[1] >= budget) {
                    crossing.put(keys.get(i), new double[] {b[0], before, docs, budget});
                    break;
                }
                before += b[1];
                docs += b[2];
            }
            if (!crossing.containsKey(keys.get(i))) {
                cuts.put(keys.get(i), new Cut(Long.MAX_VALUE, before, docs)); // all of it
            }
        }
        if (crossing.isEmpty()) {
            return cuts;
        }
        Column inCrossing = null;
        for (Map.Entry<String, double[]> c : crossing.entrySet()) {
            String[] k = c.getKey().split("\u0000", -1);
            Column one = col("source")
                    .equalTo(lit(k[0]))
                    .and(col(STRATUM).equalTo(lit(k[1])))
                    .and(shiftRight(col("_h"), BUCKET_SHIFT).equalTo(lit((long) c.getValue()[0])));
            inCrossing = inCrossing == null ? one : inCrossing.or(one);
        }
        Map<String, List<Row>> members = new HashMap<>();
        for (Row r :
                hashed.where(inCrossing).select("source", STRATUM, "_h", UNITS).collectAsList()) {
            members.computeIfAbsent(r.getString(0) + "\u0000" + r.getString(1), x -> new ArrayList<>())
                    .add(r);
        }
        for (Map.Entry<String, double[]> c : crossing.entrySet()) {
            List<Row> rows = members.getOrDefault(c.getKey(), new ArrayList<>());
            rows.sort(Comparator.comparingLong(r -> r.getLong(2)));
            double running = c.getValue()[1];
            double docs = c.getValue()[2];
            double budget = c.getValue()[3];
            long bucket = (long) c.getValue()[0];
            // nothing of the crossing bucket: everything below it (bucket b holds hashes from b << 52)
            long cut = bucket == (Long.MIN_VALUE >> BUCKET_SHIFT) ? Long.MIN_VALUE : (bucket << BUCKET_SHIFT) - 1;
            for (Row r : rows) {
                double next = running + (r.isNullAt(3) ? 0 : r.getDouble(3));
                if (next > budget && next - budget > budget - running) {
                    break; // stopping here is closer to the budget
                }
                running = next;
                docs++;
                cut = r.getLong(2);
                if (running >= budget) {
                    break;
                }
            }
            // documents are cut by hash alone: only a repeated id within one source can tie
            cuts.put(c.getKey(), new Cut(cut, running, docs));
        }
        return cuts;
    }

    private static FlatMapFunction<Row, Row> copies(
            Map<String, Integer> full,
            Map<String, long[]> cuts,
            String phase,
            int phaseIndex,
            long phaseSeed,
            int orderIndex,
            boolean descending,
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
                long shuffle = net.openhft.hashing.LongHashFunction.xx3(phaseSeed)
                        .hashChars(source + "\u0000" + r.getString(1) + "\u0000" + e);
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
