package dev.tokenmill.jobs.lake;

import dev.tokenmill.core.SideTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The runner's {@link SideTables}: names resolve in the lake; each read is recorded as an input of the stage (table
 * and version), and each write is one Delta commit whose lineage names the stage and its fingerprint.
 */
public final class LakeSideTables implements SideTables {
    private final Lake lake;
    private final StageCommitter.Draft draft;
    private final List<Lineage.Input> reads = new ArrayList<>();
    private final List<String> writes = new ArrayList<>();

    public LakeSideTables(Lake lake, StageCommitter.Draft draft) {
        this.lake = lake;
        this.draft = draft;
    }

    @Override
    public Dataset<Row> read(String table) {
        TableLocation location = lake.locate(table);
        if (!lake.exists(location)) {
            return null;
        }
        long version = lake.latestVersion(location);
        reads.add(Lineage.Input.table(location.name(), location.path(), version));
        return lake.read(location, version);
    }

    @Override
    public long version(String table) {
        TableLocation location = lake.locate(table);
        return lake.exists(location) ? lake.latestVersion(location) : -1;
    }

    @Override
    public void write(String table, Dataset<Row> rows, boolean append) {
        TableLocation location = lake.locate(table);
        long t0 = System.nanoTime();
        long count = rows.count();
        Lineage lineage = new Lineage(
                Lineage.FORMAT,
                draft.stage(),
                draft.fingerprint(),
                draft.inputs(),
                location.name(),
                null,
                draft.config(),
                dev.tokenmill.jobs.util.CodeVersion.get(),
                draft.seed(),
                draft.recipe(),
                count,
                count,
                0,
                Map.of(),
                Map.of(),
                Instant.now().toString(),
                (System.nanoTime() - t0) / 1_000_000);
        var writer = rows.write().format("delta").option("userMetadata", lineage.toJson());
        if (append && lake.exists(location)) {
            // mergeSchema: an index written by an older version gains the columns added since (its old rows hold null)
            DeltaWrites.committing(
                    location,
                    () -> writer.mode("append").option("mergeSchema", "true").save(location.path()));
        } else {
            DeltaWrites.committing(
                    location,
                    () -> writer.mode("overwrite")
                            .option("overwriteSchema", "true")
                            .save(location.path()));
        }
        writes.add(location.name() + "@" + lake.latestVersion(location));
    }

    /** Side tables read, as lineage inputs (in order of first read). */
    public List<Lineage.Input> reads() {
        return List.copyOf(reads);
    }

    /** "table@version" of every side write. */
    public List<String> writes() {
        return List.copyOf(writes);
    }
}
