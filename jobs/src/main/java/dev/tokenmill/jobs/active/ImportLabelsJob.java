package dev.tokenmill.jobs.active;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.StageCommitter;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.StepRun;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code import-labels}: merges a returned labelling file into the labels table as a new version. Only rows whose
 * label (or labeller, or note) changes are touched, so {@code diff} between the two versions lists exactly the new
 * labels and the relabels; refused rows (unknown ids, bad labels, malformed lines, conflicting labels) go to the
 * rejected table with the line and the reason.
 */
final class ImportLabelsJob {
    private static final StructType UPDATES = new StructType()
            .add("_u_id", DataTypes.StringType, false)
            .add("_u_label", DataTypes.IntegerType, false)
            .add("_u_by", DataTypes.StringType, true)
            .add("_u_note", DataTypes.StringType, true)
            .add("_u_line", DataTypes.IntegerType, false);

    private ImportLabelsJob() {}

    static void run(
            StepRun run,
            String fileName,
            byte[] bytes,
            TableLocation output,
            TableLocation rejected,
            boolean strict,
            String label) {
        Lake lake = run.lake();
        String name = ImportLabelsKind.NAME;
        if (!lake.exists(output)) {
            throw new UserError(name + ": there is no labels table " + output.name()
                    + "; queue documents first with tokenmill label-queue");
        }
        Dataset<Row> existing = lake.read(output, lake.latestVersion(output));
        try {
            LabelsTable.requireShape(existing.schema(), output.name());
        } catch (IllegalArgumentException e) {
            throw new UserError(name + ": " + e.getMessage());
        }
        List<LabelFiles.Returned> rows;
        try {
            rows = LabelFiles.read(fileName, bytes);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserError(name + ": " + fileName + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new UserError(name + ": cannot read " + fileName + " as CSV: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        Set<String> known = knownIds(lake, existing, LabelImport.candidateIds(rows));
        LabelImport.Result checked = LabelImport.check(rows, known::contains);
        String shortName = fileName.substring(fileName.lastIndexOf('/') + 1);
        if (strict && !checked.refused().isEmpty()) {
            LabelImport.Refused first = checked.refused().get(0);
            throw new UserError(name + ": " + shortName + " " + first.detail() + " (" + first.rule() + ")"
                    + (checked.refused().size() > 1 ? "; " + (checked.refused().size() - 1) + " more refused rows" : "")
                    + "; nothing imported");
        }
        if (checked.accepted().isEmpty() && checked.refused().isEmpty()) {
            throw new UserError(name + ": " + shortName + " has no labels (" + rows.size() + " rows, " + checked.blank()
                    + " with an empty label)");
        }
        List<Row> updates = new ArrayList<>();
        for (LabelImport.Accepted a : checked.accepted()) {
            updates.add(RowFactory.create(a.id(), a.label(), a.labelledBy(), a.note(), a.line()));
        }
        Dataset<Row> u = lake.spark().createDataFrame(updates, UPDATES);
        Dataset<Row> joined =
                existing.join(broadcast(u), existing.col(LabelsTable.ID).equalTo(u.col("_u_id")), "left");
        Column given = col("_u_id").isNotNull();
        Column changed = given.and(not(col(LabelsTable.LABEL).eqNullSafe(col("_u_label")))
                .or(col("_u_by")
                        .isNotNull()
                        .and(not(col(LabelsTable.LABELLED_BY).eqNullSafe(col("_u_by")))))
                .or(col("_u_note").isNotNull().and(not(col(LabelsTable.NOTE).eqNullSafe(col("_u_note"))))));
        Dataset<Row> flagged = joined.withColumn("_changed", changed);

        Row stats = flagged.agg(
                        sum(when(col("_changed").and(col(LabelsTable.LABEL).isNull()), 1)
                                .otherwise(0)),
                        sum(when(
                                        col("_changed")
                                                .and(col(LabelsTable.LABEL).isNotNull())
                                                .and(not(col(LabelsTable.LABEL).eqNullSafe(col("_u_label")))),
                                        1)
                                .otherwise(0)),
                        sum(when(given.and(not(col("_changed"))), 1).otherwise(0)),
                        sum(when(col("_changed").or(col(LabelsTable.LABEL).isNotNull()), 1)
                                .otherwise(0)),
                        sum(when(
                                        when(col("_changed"), col("_u_label"))
                                                .otherwise(col(LabelsTable.LABEL))
                                                .equalTo(1),
                                        1)
                                .otherwise(0)),
                        count(lit(1)))
                .first();
        long newlyLabelled = stats.isNullAt(0) ? 0 : stats.getLong(0);
        long relabelled = stats.isNullAt(1) ? 0 : stats.getLong(1);
        long unchanged = stats.isNullAt(2) ? 0 : stats.getLong(2);
        long labelled = stats.isNullAt(3) ? 0 : stats.getLong(3);
        long positive = stats.isNullAt(4) ? 0 : stats.getLong(4);
        long total = stats.getLong(5);

        List<Column> kept = new ArrayList<>();
        for (String f : LabelsTable.SCHEMA.fieldNames()) {
            Column c = switch (f) {
                case LabelsTable.LABEL -> when(col("_changed"), col("_u_label")).otherwise(col(f));
                case LabelsTable.LABELLED_BY ->
                    when(col("_changed"), col("_u_by")).otherwise(col(f));
                case LabelsTable.NOTE -> when(col("_changed"), col("_u_note")).otherwise(col(f));
                case LabelsTable.LABELLED_FROM ->
                    when(
                                    col("_changed"),
                                    concat(lit(shortName + ":"), col("_u_line").cast("string")))
                            .otherwise(col(f));
                default -> col(f);
            };
            kept.add(c.cast(LabelsTable.SCHEMA.apply(f).dataType()).as(f));
        }
        kept.add(lit(null).cast(Rejection.TYPE).as(Rejection.COLUMN));
        Dataset<Row> merged = flagged.select(kept.toArray(new Column[0]));

        List<Row> refusedRows = new ArrayList<>();
        for (LabelImport.Refused r : checked.refused()) {
            Object[] v = new Object[LabelsTable.SCHEMA.size() + 1];
            v[0] = r.id() != null ? r.id() : shortName + ":" + r.line();
            v[LabelsTable.SCHEMA.fieldIndex(LabelsTable.TEXT)] = r.raw();
            v[LabelsTable.SCHEMA.fieldIndex(LabelsTable.LABELLED_FROM)] = shortName + ":" + r.line();
            v[v.length - 1] = Rejection.of(r.rule(), (double) r.line(), null, shortName + " " + r.detail());
            refusedRows.add(RowFactory.create(v));
        }
        Dataset<Row> tagged = merged.unionByName(
                lake.spark().createDataFrame(refusedRows, Rejection.tagged(nullable(LabelsTable.SCHEMA))));

        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("labelled_new", newlyLabelled);
        counters.put("relabelled", relabelled);
        counters.put("unchanged", unchanged);
        counters.put("blank_in_file", (long) checked.blank());
        counters.put("repeated_in_file", (long) checked.repeated());
        counters.put("labelled", labelled);
        counters.put("labelled_positive", positive);
        counters.put("pending", total - labelled);
        new StageCommitter(lake)
                .commit(
                        tagged,
                        run.draft(LabelsTable.ID, LabelsTable.TEXT, List.of(name)),
                        output,
                        rejected,
                        () -> counters);
        run.say(String.format(
                Locale.ROOT,
                "%s@%d: %,d new labels, %,d relabelled, %,d unchanged, %,d blank, %,d refused%s; %,d of %,d rows "
                        + "labelled (%,d good, %,d bad)",
                label,
                lake.latestVersion(output),
                newlyLabelled,
                relabelled,
                unchanged,
                checked.blank(),
                checked.refused().size(),
                checked.refused().isEmpty() ? "" : " (→ " + rejected.name() + ": " + byRule(checked.refused()) + ")",
                labelled,
                total,
                positive,
                labelled - positive));
    }

    private static StructType nullable(StructType s) {
        StructType out = new StructType();
        for (var f : s.fields()) {
            out = out.add(f.name(), f.dataType(), true);
        }
        return out;
    }

    private static String byRule(List<LabelImport.Refused> refused) {
        Map<String, Integer> m = new java.util.TreeMap<>();
        refused.forEach(r -> m.merge(r.rule(), 1, Integer::sum));
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) ->
                b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return b.toString();
    }

    /** Which of {@code ids} the table holds (one small broadcast join). */
    private static Set<String> knownIds(Lake lake, Dataset<Row> existing, Set<String> ids) {
        Set<String> known = new HashSet<>();
        if (ids.isEmpty()) {
            return known;
        }
        for (Row r : LabelsTable.withIds(lake.spark(), existing.select(LabelsTable.ID), ids)
                .collectAsList()) {
            known.add(r.getString(0));
        }
        return known;
    }
}
