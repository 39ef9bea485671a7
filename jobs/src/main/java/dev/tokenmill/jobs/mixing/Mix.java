package dev.tokenmill.jobs.mixing;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.SqlFilter;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.tokenizer.Tokenize;
import dev.tokenmill.mixing.MixSampler;
import dev.tokenmill.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code mix} step: reads each source table at its latest version (and filter), measures every document in
 * the mixing unit (tokens with the given tokenizer, characters or documents), draws the mixture with
 * {@link MixSampler} and writes it as a new version of the output table. The lineage names every source version
 * and carries, per phase and source, the target share, the realised share, units, documents and epochs — what
 * {@code tokenmill mix-report} prints.
 */
public final class Mix {
    private Mix() {}

    public record Resolved(MixStep.Source source, TableLocation table, long version) {}

    /** Writes the drawn rows with their lineage: the runner's table committer. */
    @FunctionalInterface
    public interface Committer {
        Lineage commit(
                Dataset<Row> rows, long rowsIn, long rowsOut, Map<String, Long> counters, Map<String, Object> results);
    }

    /** Draws the mixture and hands it to {@code commit} with the per-source report the lineage carries. */
    public static Lineage run(
            Lake lake,
            List<Resolved> sources,
            MixStep step,
            Tokenize.Tokenizer tokenizer,
            String idColumn,
            String textColumn,
            long seed,
            Committer commit) {
        List<MixSampler.Input> inputs = new ArrayList<>();
        for (Resolved r : sources) {
            Dataset<Row> df = lake.read(r.table(), r.version());
            for (String c : List.of(idColumn, textColumn)) {
                if (!List.of(df.columns()).contains(c)) {
                    throw new UserError(
                            "mix: table " + r.table().name() + "@" + r.version() + " has no column '" + c + "'");
                }
            }
            if (step.balanceBy() != null && !List.of(df.columns()).contains(step.balanceBy())) {
                throw new UserError(
                        "mix: table " + r.table().name() + " has no column '" + step.balanceBy() + "' to balance by");
            }
            df = SqlFilter.apply(df, r.source().where(), "where");
            df = df.withColumn(
                    MixSampler.STRATUM,
                    step.balanceBy() == null
                            ? lit("")
                            : coalesce(col("`" + step.balanceBy() + "`").cast("string"), lit("∅")));
            df = switch (step.unit()) {
                case "documents" -> df.withColumn(MixSampler.UNITS, lit(1.0));
                case "chars" ->
                    df.withColumn(
                            MixSampler.UNITS,
                            coalesce(length(col("`" + textColumn + "`")), lit(0))
                                    .cast("double"));
                default -> withTokenCounts(lake, df, textColumn, tokenizer);
            };
            inputs.add(new MixSampler.Input(
                    r.table().name(), r.source().weight(), r.source().maxEpochs(), df));
        }
        MixSampler.Result result;
        try {
            MixSampler.Target size = step.targetScale() != null
                    ? MixSampler.Target.timesSmallest(step.targetScale())
                    : MixSampler.Target.absolute(step.target() != null ? step.target() : 0);
            result = MixSampler.sample(inputs, idColumn, textColumn, size, step.phases(), step.order(), seed);
        } catch (IllegalArgumentException e) {
            throw new UserError("mix: " + e.getMessage());
        }
        try {
            List<Map<String, Object>> report = new ArrayList<>();
            long documents = 0;
            double units = 0;
            Map<String, Double> phaseUnits = new LinkedHashMap<>();
            for (MixSampler.Drawn d : result.drawn()) {
                documents += d.documents();
                units += d.units();
                phaseUnits.merge(d.phase(), d.units(), Double::sum);
            }
            for (MixSampler.Drawn d : result.drawn()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("phase", d.phase());
                row.put("source", d.source());
                row.put("stratum", d.stratum());
                row.put("size", d.plan().size());
                row.put("target_share", d.plan().targetShare());
                row.put("planned", d.plan().budget());
                row.put("realised", d.units());
                double phaseTotal = phaseUnits.getOrDefault(d.phase(), 0.0);
                row.put("realised_share", phaseTotal == 0 ? 0 : d.units() / phaseTotal);
                row.put(
                        "epochs",
                        d.plan().size() == 0 ? 0 : d.units() / d.plan().size());
                row.put("capped", d.plan().capped());
                row.put("documents", d.documents());
                row.put("available_documents", d.available());
                report.add(row);
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("target_units", result.target());
            results.put("mix", report);
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put("documents", documents);
            counters.put("units", Math.round(units));
            long rowsIn = 0;
            for (MixSampler.Drawn d : result.drawn()) {
                if (d.phase().equals(result.drawn().get(0).phase())) {
                    rowsIn += d.available(); // every phase draws from the same documents
                }
            }
            // no global sort: the ids carry the training order, readers sort by them (tokenize does)
            return commit.commit(result.rows(), rowsIn, documents, counters, results);
        } finally {
            result.release();
        }
    }

    /** Adds {@link MixSampler#UNITS}: the token count of each document with the tokenizer (parsed once per JVM). */
    private static Dataset<Row> withTokenCounts(
            Lake lake, Dataset<Row> df, String textColumn, Tokenize.Tokenizer tokenizer) {
        Broadcast<Tokenize.Tokenizer> shared = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                        lake.spark().sparkContext())
                .broadcast(tokenizer);
        StructType schema = df.schema().add(MixSampler.UNITS, DataTypes.DoubleType, false);
        int text = df.schema().fieldIndex(textColumn);
        int width = df.schema().size();
        MapPartitionsFunction<Row, Row> count = rows -> {
            TextTokenizer t = Tokenize.model(shared.value());
            return dev.tokenmill.core.Rows.mapped(rows, r -> {
                Object[] v = dev.tokenmill.core.Rows.widen(r, width, 1);
                v[width] = r.isNullAt(text) ? 0.0 : (double) t.encode(r.getString(text)).length;
                return RowFactory.create(v);
            });
        };
        return df.mapPartitions(count, Encoders.row(schema));
    }
}
