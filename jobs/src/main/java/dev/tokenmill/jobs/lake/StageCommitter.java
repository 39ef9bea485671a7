package dev.tokenmill.jobs.lake;

import static org.apache.spark.sql.functions.col;

import dev.tokenmill.core.Rejection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes one stage's result: the rejected rows first (replacing this stage's earlier rejects), then the kept
 * rows as a new version of the output table whose commit carries the lineage. The output commit comes last, so
 * its fingerprint marks the stage complete: a run killed before it redoes the (idempotent) rejected write.
 */
public final class StageCommitter {

    /** Everything lineage needs that the runner knows before the data is computed. */
    public record Draft(
            String stage,
            String fingerprint,
            List<Lineage.Input> inputs,
            Map<String, Object> config,
            Long seed,
            String recipe,
            String idColumn,
            String textColumn,
            List<String> rejectingStages) {}

    private final Lake lake;

    public StageCommitter(Lake lake) {
        this.lake = lake;
    }

    public Lineage commit(
            Dataset<Row> tagged,
            Draft draft,
            TableLocation output,
            TableLocation rejected,
            java.util.function.Supplier<Map<String, Long>> counters) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Dataset<Row> cached = tagged.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> byRule = new java.util.TreeMap<>();
            long kept = 0;
            long keptBytes = 0;
            for (Row r : RuleCounts.of(cached, draft.textColumn())) {
                if (r.isNullAt(0)) {
                    kept += r.getLong(1);
                    keptBytes += r.getLong(2);
                } else {
                    byRule.merge(r.getString(0), r.getLong(1), Long::sum);
                }
            }
            long rejectedCount =
                    byRule.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Long> counterValues = counters.get();

            Dataset<Row> rejectedRows = RejectedRows.from(cached, draft.stage(), draft.idColumn(), draft.textColumn());
            if (rejectedCount > 0 || lake.exists(rejected)) {
                Lineage rejectLineage = lineage(
                        draft,
                        rejected.name(),
                        null,
                        kept + rejectedCount,
                        rejectedCount,
                        0,
                        byRule,
                        counterValues,
                        started,
                        t0);
                DeltaWrites.replaceStageRows(
                        rejectedRows, rejected, draft.rejectingStages(), rejectLineage.toJson(), lake);
            }
            Dataset<Row> keptRows =
                    cached.filter(col(Rejection.COLUMN).isNull()).drop(Rejection.COLUMN, Rejection.BY_STAGE);
            Lineage lineage = lineage(
                    draft,
                    output.name(),
                    rejected.name(),
                    kept + rejectedCount,
                    kept,
                    rejectedCount,
                    byRule,
                    counterValues,
                    started,
                    t0);
            DeltaWrites.overwrite(
                    keptRows,
                    output,
                    lineage.toJson(),
                    FileSizing.rowsPerFile(
                            kept, keptBytes, lake.spark().sparkContext().defaultParallelism()));
            return lineage;
        } finally {
            cached.unpersist();
        }
    }

    private static Lineage lineage(
            Draft d,
            String output,
            String rejectedTable,
            long in,
            long out,
            long rejected,
            Map<String, Long> byRule,
            Map<String, Long> counters,
            Instant started,
            long t0) {
        return new Lineage(
                Lineage.FORMAT,
                d.stage(),
                d.fingerprint(),
                d.inputs(),
                output,
                rejectedTable,
                d.config(),
                dev.tokenmill.jobs.util.CodeVersion.get(),
                d.seed(),
                d.recipe(),
                in,
                out,
                rejected,
                byRule,
                counters,
                started.toString(),
                (System.nanoTime() - t0) / 1_000_000);
    }
}
