package dev.tokenmill.core;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Lake tables a stage keeps besides its output (an index it reads and extends, a cluster table it writes). The
 * runner implements this: it resolves names in the lake, records what was read and written in the stage's lineage,
 * and commits the stage's own output after every side write, so a run killed in between redoes the stage.
 * A stage that writes a side table must make that write idempotent (re-running the same input changes nothing).
 */
public interface SideTables {

    /** The latest version of a lake table, or null when the table does not exist yet. */
    Dataset<Row> read(String table);

    /** The latest version number of a table, or −1 when it does not exist. */
    long version(String table);

    /** Commits {@code rows} as a new version: appended to the table, or replacing its rows. */
    void write(String table, Dataset<Row> rows, boolean append);

    /** For a context without a lake (unit tests of pure transforms): every use fails with a clear message. */
    SideTables NONE = new SideTables() {
        @Override
        public Dataset<Row> read(String table) {
            throw new IllegalArgumentException("side table '" + table + "' needs a lake (run the stage from a recipe)");
        }

        @Override
        public long version(String table) {
            throw new IllegalArgumentException("side table '" + table + "' needs a lake (run the stage from a recipe)");
        }

        @Override
        public void write(String table, Dataset<Row> rows, boolean append) {
            throw new IllegalArgumentException("side table '" + table + "' needs a lake (run the stage from a recipe)");
        }
    };
}
