package dev.tokenmill.jobs.lake.read;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Commit;
import dev.tokenmill.jobs.lake.Lineage;
import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads Delta tables without Spark, on Delta Kernel (Delta Lake's own Java reader): a table's versions and history
 * from its log, its schema and files at a version, and its rows in a fixed order (files by path, rows in file order).
 * History is what Spark's {@code DESCRIBE HISTORY} returns, timestamps included: the commit file's modification time,
 * made strictly increasing (Delta's DeltaHistoryManager), or the in-commit timestamp where the table records one.
 */
public final class KernelReader {
    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
    private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint(\\.\\d+\\.\\d+)?\\.parquet");
    private static final StructType COMMIT_INFO = new StructType()
            .add(
                    "commitInfo",
                    new StructType()
                            .add("timestamp", LongType.LONG)
                            .add("inCommitTimestamp", LongType.LONG)
                            .add("operation", StringType.STRING)
                            .add("operationMetrics", new MapType(StringType.STRING, StringType.STRING, true))
                            .add("userMetadata", StringType.STRING));

    private final Engine engine;
    private final Map<String, List<Commit>> histories = new HashMap<>();

    public KernelReader(Configuration hadoopConf) {
        this.engine = DefaultEngine.create(hadoopConf);
    }

    /** The commit files of a table's log, oldest first, and the latest version; no log → empty, -1. */
    private record Log(List<FileStatus> commits, long latest) {}

    private Log log(String tablePath) {
        List<FileStatus> commits = new ArrayList<>();
        long latest = -1;
        String logDir = tablePath.replaceAll("/+$", "") + "/_delta_log/";
        try (CloseableIterator<FileStatus> files = engine.getFileSystemClient().listFrom(logDir + "0".repeat(20))) {
            while (files.hasNext()) {
                FileStatus f = files.next();
                String name = f.getPath().substring(f.getPath().lastIndexOf('/') + 1);
                Matcher c = COMMIT.matcher(name);
                Matcher cp = CHECKPOINT.matcher(name);
                if (c.matches()) {
                    commits.add(f);
                    latest = Math.max(latest, Long.parseLong(c.group(1)));
                } else if (cp.matches()) {
                    latest = Math.max(latest, Long.parseLong(cp.group(1)));
                }
            }
        } catch (java.io.FileNotFoundException e) {
            return new Log(List.of(), -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        commits.sort(Comparator.comparing(FileStatus::getPath));
        return new Log(commits, latest);
    }

    /** The latest version of the table at {@code tablePath}, or -1 when there is no Delta table there. */
    public long latestVersion(String tablePath) {
        return log(tablePath).latest();
    }

    /** Every commit still in the log, newest first (what {@code DeltaTable.history()} returns). */
    public List<Commit> history(String tablePath) {
        return histories.computeIfAbsent(tablePath, this::readHistory);
    }

    private List<Commit> readHistory(String tablePath) {
        List<FileStatus> files = log(tablePath).commits();
        List<Commit> commits = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (FileStatus f : files) {
            long version = Long.parseLong(
                    f.getPath().substring(f.getPath().lastIndexOf('/') + 1).substring(0, 20));
            Map<String, Object> info = commitInfo(f);
            long ts = info.get("inCommitTimestamp") instanceof Long ict ? ict : f.getModificationTime();
            if (!(info.get("inCommitTimestamp") instanceof Long) && ts <= previous) {
                ts = previous + 1; // DeltaHistoryManager.monotonizeCommitTimestamps
            }
            previous = ts;
            @SuppressWarnings("unchecked")
            Map<String, String> metrics = info.get("operationMetrics") instanceof Map<?, ?> m
                    ? new HashMap<>((Map<String, String>) m)
                    : Map.of();
            String meta = (String) info.get("userMetadata");
            commits.add(new Commit(
                    version,
                    new java.sql.Timestamp(ts).toString(),
                    (String) info.get("operation"),
                    metrics,
                    meta,
                    Lineage.parse(meta)));
        }
        java.util.Collections.reverse(commits);
        return commits;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> commitInfo(FileStatus file) {
        try (CloseableIterator<ColumnarBatch> batches = engine.getJsonHandler()
                .readJsonFiles(Utils.singletonCloseableIterator(file), COMMIT_INFO, Optional.empty())) {
            while (batches.hasNext()) {
                ColumnarBatch b = batches.next();
                ColumnVector info = b.getColumnVector(0);
                for (int i = 0; i < b.getSize(); i++) {
                    if (!info.isNullAt(i)) {
                        return (Map<String, Object>) KernelValues.get(info, i);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of();
    }

    /** A table version opened for reading: its schema and files. */
    public final class Version {
        private final Snapshot snapshot;
        private final String label;

        private Version(Snapshot snapshot, String label) {
            this.snapshot = snapshot;
            this.label = label;
        }

        public StructType schema() {
            return snapshot.getSchema();
        }

        public List<String> columns() {
            List<String> names = new ArrayList<>();
            for (StructField f : schema().fields()) {
                names.add(f.getName());
            }
            return names;
        }

        /** The data files of this version: path and size, by path. */
        public List<FileStatus> files() {
            List<FileStatus> out = new ArrayList<>();
            for (ScanFile f : scanFiles(snapshot.getScanBuilder().build())) {
                out.add(f.status());
            }
            return out;
        }

        /**
         * Feeds the rows of this version (only {@code columns}, all when null) to {@code sink} in file-path order, rows
         * in file order, until the sink returns false.
         */
        public void rows(List<String> columns, Predicate<Map<String, Object>> sink) {
            ScanBuilder builder = snapshot.getScanBuilder();
            if (columns != null) {
                StructType read = new StructType();
                for (String c : columns) {
                    read = read.add(schema().get(c));
                }
                builder = builder.withReadSchema(read);
            }
            Scan scan = builder.build();
            Row state = scan.getScanState(engine);
            StructType physical = ScanStateRow.getPhysicalDataReadSchema(engine, state);
            for (ScanFile f : scanFiles(scan)) {
                try (CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                                .readParquetFiles(
                                        Utils.singletonCloseableIterator(f.status()), physical, Optional.empty());
                        CloseableIterator<FilteredColumnarBatch> batches =
                                Scan.transformPhysicalData(engine, state, f.row(), data)) {
                    while (batches.hasNext()) {
                        if (!feed(batches.next(), sink)) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + label + ": " + e.getMessage(), e);
                }
            }
        }

        private boolean feed(FilteredColumnarBatch batch, Predicate<Map<String, Object>> sink) {
            ColumnarBatch data = batch.getData();
            Optional<ColumnVector> selected = batch.getSelectionVector();
            StructType schema = data.getSchema();
            int width = schema.length();
            ColumnVector[] vectors = new ColumnVector[width];
            for (int c = 0; c < width; c++) {
                vectors[c] = data.getColumnVector(c);
            }
            for (int i = 0; i < data.getSize(); i++) {
                if (selected.isPresent()
                        && (selected.get().isNullAt(i) || !selected.get().getBoolean(i))) {
                    continue; // deleted by a deletion vector
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 0; c < width; c++) {
                    row.put(schema.at(c).getName(), KernelValues.get(vectors[c], i));
                }
                if (!sink.test(row)) {
                    return false;
                }
            }
            return true;
        }

        private record ScanFile(Row row, FileStatus status) {}

        private List<ScanFile> scanFiles(Scan scan) {
            List<ScanFile> out = new ArrayList<>();
            try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
                while (files.hasNext()) {
                    try (CloseableIterator<Row> rows = files.next().getRows()) {
                        while (rows.hasNext()) {
                            Row r = rows.next();
                            out.add(new ScanFile(r, InternalScanFileUtils.getAddFileStatus(r)));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.sort(Comparator.comparing(f -> f.status().getPath()));
            return out;
        }
    }

    /** Opens {@code version} of the table at {@code tablePath}; {@code label} names it in errors. */
    public Version open(String tablePath, long version, String label) {
        try {
            Table table = Table.forPath(engine, tablePath);
            return new Version(table.getSnapshotAsOfVersion(engine, version), label);
        } catch (io.delta.kernel.exceptions.KernelException e) {
            throw new UserError("table " + label + " cannot be read: " + e.getMessage());
        }
    }
}
