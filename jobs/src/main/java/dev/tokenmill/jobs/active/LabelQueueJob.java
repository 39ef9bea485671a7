package dev.tokenmill.jobs.active;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.SqlFilter;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.quality.active.LabelQueue;
import dev.tokenmill.quality.active.LabelQueue.Candidate;
import dev.tokenmill.quality.active.LabelQueue.Strategy;
import dev.tokenmill.quality.score.QualityClassifier;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * One round of {@code label-queue}: scores the pool (minus what the labels table already holds) with the quality
 * classifier in Spark tasks, ranks it by the strategy's informativeness per stratum, brings the best few per
 * stratum to the driver (5× the stratum's share for {@code diverse}, which then picks by k-center over the hashed
 * n-gram features), and appends the picks as a new round of the labels table, writing the round's labelling
 * files first.
 */
final class LabelQueueJob {
    record Settings(
            String model,
            int n,
            Strategy strategy,
            String stratifyBy,
            String where,
            int excerptChars,
            String files,
            String textColumn,
            String idColumn) {}

    private static final String P = "_lq_p";
    private static final String INFO = "_lq_info";
    private static final String TIE = "_lq_tie";
    private static final String RANK = "_lq_rank";
    private static final String ALL = "all";

    private LabelQueueJob() {}

    static void run(StepRun run, TableLocation pool, TableLocation output, Settings s, String label) {
        Lake lake = run.lake();
        long poolVersion = run.version(pool);
        Dataset<Row> df = run.read(pool);
        List<String> columns = List.of(df.columns());
        for (String c : List.of(s.idColumn(), s.textColumn())) {
            if (!columns.contains(c)) {
                throw new UserError("label-queue: " + pool.name() + "@" + poolVersion + " has no column '" + c + "'");
            }
        }
        df = SqlFilter.apply(df, s.where(), "where");
        Dataset<Row> existing = null;
        int round = 1;
        long before = 0;
        long labelled = 0;
        if (lake.exists(output)) {
            existing = lake.read(output, lake.latestVersion(output));
            try {
                LabelsTable.requireShape(existing.schema(), output.name());
            } catch (IllegalArgumentException e) {
                throw new UserError("label-queue: " + e.getMessage());
            }
            // one pass over the table: the last round, its rows, how many are labelled
            Row so = existing.agg(
                            functions.max(LabelsTable.ROUND),
                            functions.count(lit(1)),
                            functions.count(LabelsTable.LABEL))
                    .first();
            round = so.isNullAt(0) ? 1 : so.getInt(0) + 1;
            before = so.getLong(1);
            labelled = so.getLong(2);
        }
        Column source = columns.contains("source")
                ? col("source").cast("string")
                : lit(null).cast("string");
        Column stratum = s.stratifyBy() == null
                ? lit(ALL)
                : functions.coalesce(stratumOf(df, s.stratifyBy(), pool.name() + "@" + poolVersion), lit(""));
        Dataset<Row> candidates = df.select(
                        col(s.idColumn()).cast("string").as(LabelsTable.ID),
                        source.as(LabelsTable.SOURCE),
                        stratum.as(LabelsTable.STRATUM),
                        col(s.textColumn()).cast("string").as(QualityClassifier.TEXT))
                .filter(col(LabelsTable.ID)
                        .isNotNull()
                        .and(col(QualityClassifier.TEXT).isNotNull())
                        .and(length(col(QualityClassifier.TEXT)).gt(0)));
        if (existing != null) {
            candidates = candidates.join(existing.select(LabelsTable.ID), LabelsTable.ID, "left_anti");
        }
        PipelineModel model = load(lake, s.model());
        Dataset<Row> scored = score(model, candidates)
                .select(col(LabelsTable.ID), col(LabelsTable.STRATUM), col(P))
                .withColumn(INFO, informativeness(s.strategy(), col(P)))
                .withColumn(TIE, xxhash64(col(LabelsTable.ID), lit(run.seed())))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> sizes = new TreeMap<>();
            for (Row r : scored.groupBy(LabelsTable.STRATUM).count().collectAsList()) {
                sizes.put(r.getString(0), r.getLong(1));
            }
            long available = sizes.values().stream().mapToLong(Long::longValue).sum();
            if (available == 0) {
                throw new UserError("label-queue: no documents left to queue in " + pool.name() + "@" + poolVersion
                        + (s.where() == null ? "" : " where " + s.where())
                        + (existing == null ? "" : " (every one is already in " + output.name() + ")"));
            }
            Map<String, Integer> share = LabelQueue.allocate(sizes, s.n());
            List<Row> shortlist = shortlist(scored, share, s.strategy());
            Map<String, Row> details = details(model, candidates, shortlist, lake);
            List<Candidate> picked = pick(shortlist, details, share, s.strategy(), run.seed());

            String queuedFrom = pool.name() + "@" + poolVersion;
            List<Row> rows = new ArrayList<>();
            List<LabelFiles.Queued> queued = new ArrayList<>();
            for (Candidate c : picked) {
                Row d = details.get(c.id());
                String text = d.getString(1);
                String src = d.isNullAt(0) ? null : d.getString(0);
                String strat = s.stratifyBy() == null ? null : c.stratum();
                rows.add(RowFactory.create(
                        c.id(),
                        src,
                        strat,
                        text,
                        c.score(),
                        name(s.strategy()),
                        round,
                        queuedFrom,
                        null,
                        null,
                        null,
                        null));
                queued.add(new LabelFiles.Queued(
                        c.id(), src, strat, c.score(), LabelFiles.excerpt(text, s.excerptChars())));
            }
            String dir = lake.locate(s.files()).path();
            String jsonl =
                    write(lake, dir, "round-" + round + ".jsonl", LabelFiles.jsonl(queued, round, name(s.strategy())));
            String csv = write(lake, dir, "round-" + round + ".csv", LabelFiles.csv(queued));

            Dataset<Row> added = lake.spark().createDataFrame(rows, LabelsTable.SCHEMA);
            Dataset<Row> all = existing == null
                    ? added
                    : existing.selectExpr(LabelsTable.SCHEMA.fieldNames()).unionByName(added);
            long total = before + picked.size();
            double meanScore =
                    picked.stream().mapToDouble(Candidate::score).average().orElse(Double.NaN);

            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put("pool_documents", available);
            counters.put("queued", (long) picked.size());
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("round", round);
            results.put("queued", picked.size());
            results.put("per_stratum", perStratum(picked, s.stratifyBy() != null));
            results.put("mean_score", round4(meanScore));
            results.put("pool_documents", available);
            results.put("files", List.of(jsonl, csv));
            run.commitTable(output, all, available, total, counters, results);
            run.say(String.format(
                    Locale.ROOT,
                    "%s@%d: round %d, %,d documents queued by %s from %,d unqueued (mean P(good) %.3f); %,d of %,d "
                            + "rows labelled",
                    label,
                    lake.latestVersion(output),
                    round,
                    picked.size(),
                    name(s.strategy()),
                    available,
                    meanScore,
                    labelled,
                    total));
            run.note("label them in " + csv + " (or " + jsonl + "), then: tokenmill import-labels FILE --into "
                    + output.name());
        } finally {
            scored.unpersist();
        }
    }

    /** A column name or an SQL expression over the pool (get_json_object(meta, '$.src')), checked now. */
    private static Column stratumOf(Dataset<Row> df, String stratifyBy, String pool) {
        Column c =
                List.of(df.columns()).contains(stratifyBy) ? col("`" + stratifyBy + "`") : functions.expr(stratifyBy);
        try {
            df.select(c).schema();
        } catch (RuntimeException e) {
            throw new UserError("label-queue: stratify_by '" + stratifyBy + "' is not a column or expression of " + pool
                    + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        return c.cast("string");
    }

    static PipelineModel load(Lake lake, String model) {
        String path = lake.locate(model).path();
        try {
            return PipelineModel.load(path);
        } catch (RuntimeException e) {
            throw new UserError("cannot load the quality model at " + path + " (train one with tokenmill "
                    + "train-quality-model): "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** The classifier's P(positive) as {@link #P}, the pipeline's work columns dropped. */
    static Dataset<Row> score(PipelineModel model, Dataset<Row> docs) {
        Dataset<Row> scored = model.transform(docs).withColumn(P, QualityClassifier.positiveProbability());
        for (String c : QualityClassifier.WORK_COLUMNS) {
            if (!c.equals(QualityClassifier.TERM_COUNTS)) {
                scored = scored.drop(c);
            }
        }
        return scored;
    }

    /** {@link LabelQueue#informativeness} as a Spark column: the kernel's definition, not a copy of its formulas. */
    static Column informativeness(Strategy s, Column p) {
        UDF1<Double, Double> info = x -> LabelQueue.informativeness(s, x);
        return functions.udf(info, DataTypes.DoubleType).apply(p);
    }

    /** Per stratum, its share (5× for diverse) of the most informative documents, ties by a seeded hash. */
    private static List<Row> shortlist(Dataset<Row> scored, Map<String, Integer> share, Strategy s) {
        int factor = s == Strategy.DIVERSE ? 5 : 1;
        List<Column> limits = new ArrayList<>();
        for (Map.Entry<String, Integer> e : share.entrySet()) {
            limits.add(lit(e.getKey()));
            limits.add(lit(e.getValue() * factor));
        }
        Column limit = functions.map(limits.toArray(new Column[0])).getItem(col(LabelsTable.STRATUM));
        return scored.withColumn(
                        RANK,
                        row_number()
                                .over(Window.partitionBy(LabelsTable.STRATUM)
                                        .orderBy(
                                                col(INFO).desc(),
                                                col(TIE).asc(),
                                                col(LabelsTable.ID).asc())))
                .filter(col(RANK).leq(limit))
                .select(LabelsTable.ID, LabelsTable.STRATUM, P)
                .collectAsList();
    }

    /** Source, full text and hashed-feature indices of the shortlisted documents (one more pass over them alone). */
    private static Map<String, Row> details(
            PipelineModel model, Dataset<Row> candidates, List<Row> shortlist, Lake lake) {
        List<String> ids = shortlist.stream().map(r -> r.getString(0)).toList();
        Dataset<Row> rows = score(model, LabelsTable.withIds(lake.spark(), candidates, ids))
                .select(
                        col(LabelsTable.ID),
                        col(LabelsTable.SOURCE),
                        col(QualityClassifier.TEXT),
                        col(QualityClassifier.TERM_COUNTS));
        Map<String, Row> byId = new HashMap<>();
        for (Row r : rows.collectAsList()) {
            byId.put(r.getString(0), RowFactory.create(r.get(1), r.get(2), r.get(3)));
        }
        return byId;
    }

    private static List<Candidate> pick(
            List<Row> shortlist, Map<String, Row> details, Map<String, Integer> share, Strategy s, long seed) {
        Map<String, List<Candidate>> byStratum = new TreeMap<>();
        for (Row r : shortlist) {
            Row d = details.get(r.getString(0));
            if (d == null) {
                throw new JobFailure("label-queue: document " + r.getString(0) + " vanished between two reads", null);
            }
            int[] features = QualityClassifier.terms((Vector) d.get(2));
            byStratum
                    .computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                    .add(new Candidate(r.getString(0), r.getString(1), r.getDouble(2), features));
        }
        List<Candidate> picked = new ArrayList<>();
        byStratum.forEach((stratum, pool) -> picked.addAll(LabelQueue.pick(pool, share.get(stratum), s, seed)));
        return picked;
    }

    private static Map<String, Integer> perStratum(List<Candidate> picked, boolean stratified) {
        Map<String, Integer> m = new TreeMap<>();
        for (Candidate c : picked) {
            m.merge(stratified ? c.stratum() : ALL, 1, Integer::sum);
        }
        return m;
    }

    private static String write(Lake lake, String dir, String name, byte[] bytes) {
        Path file = new Path(dir, name);
        try {
            FileSystem fs = file.getFileSystem(lake.hadoopConf());
            try (OutputStream out = fs.create(file, true)) {
                out.write(bytes);
            }
            String qualified = fs.makeQualified(file).toString();
            // a local file is shown as a path the user can open or pass to import-labels
            return qualified.startsWith("file:")
                    ? new java.io.File(fs.makeQualified(file).toUri()).getPath()
                    : qualified;
        } catch (IOException e) {
            throw new JobFailure("label-queue: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String name(Strategy s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static double round4(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10_000) / 10_000.0;
    }
}
