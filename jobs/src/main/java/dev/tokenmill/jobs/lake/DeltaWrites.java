package dev.tokenmill.jobs.lake;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The three ways tokenmill commits to Delta; each is one atomic commit carrying lineage as userMetadata. */
public final class DeltaWrites {
    private static final String USER_METADATA_CONF = "spark.databricks.delta.commitInfo.userMetadata";

    private DeltaWrites() {}

    /** A new version holding exactly {@code rows} (schema may change); {@code rowsPerFile} 0 = no limit. */
    public static void overwrite(Dataset<Row> rows, TableLocation table, String userMetadata, long rowsPerFile) {
        committing(
                table,
                () -> rows.write()
                        .format("delta")
                        .mode("overwrite")
                        .option("overwriteSchema", "true")
                        .option("userMetadata", userMetadata)
                        .option("maxRecordsPerFile", rowsPerFile)
                        .save(table.path()));
    }

    /**
     * Runs a commit to {@code table}; when another writer committed to it first (two runs on one lake), Delta's
     * optimistic concurrency check refuses ours and nothing of it lands: say so in one line, naming the table.
     */
    public static void committing(TableLocation table, Runnable commit) {
        try {
            commit.run();
        } catch (RuntimeException e) {
            Throwable refused = Failures.concurrentCommit(e);
            if (refused != null) {
                throw new dev.tokenmill.jobs.JobFailure(
                        "another run committed to " + table.name() + " while this one was "
                                + "writing it (" + refused.getClass().getSimpleName()
                                + "), so this write was not applied and the table "
                                + "holds the other run's version: run this again once the other has finished (up-to-date steps are skipped)",
                        e);
            }
            throw e;
        }
    }

    /** Replaces the rows whose {@code stage} column equals {@code stage}; other stages' rows stay. */
    public static void replaceStageRows(
            Dataset<Row> rows, TableLocation table, java.util.List<String> stages, String userMetadata, Lake lake) {
        var writer = rows.write().format("delta").option("userMetadata", userMetadata);
        if (lake.exists(table)) {
            String in = String.join(
                    ", ",
                    stages.stream().map(s -> "'" + s.replace("'", "''") + "'").toList());
            committing(
                    table,
                    () -> writer.mode("overwrite")
                            .option("replaceWhere", "stage IN (" + in + ")")
                            .save(table.path()));
        } else {
            // partitioned by stage: replacing one stage's rows later drops its files instead of rewriting every file
            // that also holds other stages' rows
            committing(
                    table, () -> writer.mode("overwrite").partitionBy("stage").save(table.path()));
        }
    }

    /**
     * Inserts the rows of {@code rows} whose key is not in the table yet (creating the table if needed).
     * Used by ingest so that re-ingesting the same input adds nothing.
     */
    public static void insertNew(
            SparkSession spark,
            Dataset<Row> rows,
            TableLocation table,
            String mergeCondition,
            String userMetadata,
            boolean tableExists,
            long rowsPerFile) {
        if (!tableExists) {
            committing(
                    table,
                    () -> rows.write()
                            .format("delta")
                            .mode("overwrite")
                            .option("userMetadata", userMetadata)
                            .option("maxRecordsPerFile", rowsPerFile)
                            .save(table.path()));
            return;
        }
        String previous = spark.conf().getOption(USER_METADATA_CONF).getOrElse(() -> null);
        spark.conf().set(USER_METADATA_CONF, userMetadata);
        try {
            committing(
                    table,
                    () -> DeltaTable.forPath(spark, table.path())
                            .as("t")
                            .merge(rows.as("s"), mergeCondition)
                            .whenNotMatched()
                            .insertAll()
                            .execute());
        } finally {
            if (previous == null) {
                spark.conf().unset(USER_METADATA_CONF);
            } else {
                spark.conf().set(USER_METADATA_CONF, previous);
            }
        }
    }
}
