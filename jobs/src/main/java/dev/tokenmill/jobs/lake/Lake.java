package dev.tokenmill.jobs.lake;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.read.KernelReader;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.CommitInfo;
import scala.Option;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;

/**
 * The lake: a root folder or URI under which each table is a Delta table named by its relative path
 * ({@code raw/europarl}). Resolves names, lists tables, reads versions and history.
 */
public final class Lake {
    private SparkSession spark;
    private final Supplier<SparkSession> sparkOnDemand;
    private final Configuration conf;
    private final KernelReader kernel;
    private final Path root;

    /** A lake read and written through {@code spark}: Delta's own log replay for versions and history. */
    public Lake(SparkSession spark, String root) {
        this(spark, null, spark.sessionState().newHadoopConf(), null, root);
    }

    private Lake(
            SparkSession spark,
            Supplier<SparkSession> sparkOnDemand,
            Configuration conf,
            KernelReader kernel,
            String root) {
        this.spark = spark;
        this.sparkOnDemand = sparkOnDemand;
        this.conf = conf;
        this.kernel = kernel;
        Path p = new Path(root);
        try {
            FileSystem fs = p.getFileSystem(conf);
            this.root = fs.makeQualified(p);
        } catch (IOException e) {
            throw Failures.storage("cannot open lake " + root, e);
        }
    }

    /**
     * A lake whose versions, history and rows are read with Delta Kernel, without a SparkSession; {@code spark} opens
     * one only if a verb needs it after all (a filter Kernel reading does not cover).
     */
    public static Lake withKernel(String root, Configuration conf, Supplier<SparkSession> spark) {
        return new Lake(null, spark, conf, new KernelReader(conf), root);
    }

    /** The Kernel reader of a {@link #withKernel} lake, or null when this lake reads through Spark. */
    public KernelReader kernel() {
        return kernel;
    }

    public SparkSession spark() {
        if (spark == null) {
            spark = sparkOnDemand.get();
        }
        return spark;
    }

    public String root() {
        return root.toString();
    }

    /** A lake-relative name or a full path/URI → an absolute table location. */
    public TableLocation locate(String nameOrPath) {
        boolean isPath = nameOrPath.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")
                || nameOrPath.startsWith("/")
                || nameOrPath.startsWith(".");
        if (isPath) {
            Path p = new Path(nameOrPath);
            try {
                Path q = p.getFileSystem(hadoopConf()).makeQualified(p);
                return new TableLocation(displayName(q), q.toString());
            } catch (IOException e) {
                throw Failures.storage("cannot open " + nameOrPath, e);
            }
        }
        String name = nameOrPath.replaceAll("^/+|/+$", "");
        return new TableLocation(name, new Path(root, name).toString());
    }

    private String displayName(Path qualified) {
        String r = root.toString() + "/";
        String q = qualified.toString();
        return q.startsWith(r) ? q.substring(r.length()) : q;
    }

    public boolean exists(TableLocation table) {
        return snapshotVersion(table) >= 0;
    }

    /**
     * The table's latest version from Delta's log (a listing of _delta_log, cached by DeltaLog; no Spark job),
     * or -1 when there is no table there.
     */
    private long snapshotVersion(TableLocation table) {
        if (kernel != null) {
            try {
                return kernel.latestVersion(table.path());
            } catch (RuntimeException e) {
                throw Failures.storage("cannot read " + table.name(), e);
            }
        }
        try {
            return DeltaLog.forTable(spark, table.path())
                    .update(false, Option.empty(), Option.empty())
                    .version();
        } catch (RuntimeException e) {
            throw Failures.storage("cannot read " + table.name(), e);
        }
    }

    /** The lineage recorded by the latest commit, or null when that commit is not one of ours. */
    public Lineage latestLineage(TableLocation table) {
        long version = latestVersion(table);
        if (kernel != null) {
            return lineageAt(table, version);
        }
        Iterator<Tuple2<Object, Seq<Action>>> changes =
                DeltaLog.forTable(spark, table.path()).getChanges(version, false);
        while (changes.hasNext()) {
            Tuple2<Object, Seq<Action>> change = changes.next();
            if (((Long) change._1()) != version) {
                continue;
            }
            Iterator<Action> actions = change._2().iterator();
            while (actions.hasNext()) {
                if (actions.next() instanceof CommitInfo info
                        && info.userMetadata().isDefined()) {
                    return Lineage.parse(info.userMetadata().get());
                }
            }
        }
        return null;
    }

    /** The lineage recorded by the commit of {@code version}, or null when that commit is not one of ours. */
    public Lineage lineageAt(TableLocation table, long version) {
        for (Commit c : history(table)) {
            if (c.version() == version) {
                return c.lineage();
            }
        }
        return null;
    }

    /** Fails with the list of tables when {@code table} is not a Delta table. */
    public void requireExists(TableLocation table) {
        if (!exists(table)) {
            List<String> known = listTables();
            List<String> close = dev.tokenmill.jobs.util.Closest.of(table.name(), known, 3);
            throw new UserError("no table '" + table.name() + "' in lake " + root
                    + (known.isEmpty()
                            ? " (the lake has no tables yet)"
                            : !close.isEmpty()
                                    ? ": did you mean " + String.join(" or ", close) + "? (all " + known.size()
                                            + " tables: bin/tokenmill tables)"
                                    : known.size() <= 12
                                            ? " (tables: " + String.join(", ", known) + ")"
                                            : " (" + known.size() + " tables: bin/tokenmill tables)"));
        }
    }

    /** Every Delta table up to three levels under the root, by lake-relative name. */
    public List<String> listTables() {
        List<String> names = new ArrayList<>();
        try {
            FileSystem fs = root.getFileSystem(hadoopConf());
            if (fs.exists(root)) {
                collect(fs, root, "", 0, names);
            }
        } catch (IOException e) {
            throw Failures.storage("cannot list lake " + root, e);
        }
        names.sort(String::compareTo);
        return names;
    }

    private void collect(FileSystem fs, Path dir, String prefix, int depth, List<String> names) throws IOException {
        for (FileStatus st : fs.listStatus(dir)) {
            if (!st.isDirectory()) {
                continue;
            }
            String name = st.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            if (fs.exists(new Path(st.getPath(), "_delta_log"))) {
                names.add(prefix + name);
            } else if (depth < 2) {
                collect(fs, st.getPath(), prefix + name + "/", depth + 1, names);
            }
        }
    }

    /** All commits, newest first. */
    public List<Commit> history(TableLocation table) {
        requireExists(table);
        if (kernel != null) {
            return kernel.history(table.path());
        }
        List<Commit> commits = new ArrayList<>();
        for (Row r : DeltaTable.forPath(spark, table.path())
                .history()
                .select("version", "timestamp", "operation", "operationMetrics", "userMetadata")
                .orderBy(org.apache.spark.sql.functions.col("version").desc())
                .collectAsList()) {
            Map<String, String> metrics = r.isNullAt(3) ? Map.of() : new HashMap<>(r.getJavaMap(3));
            String meta = r.isNullAt(4) ? null : r.getString(4);
            commits.add(new Commit(
                    r.getLong(0), String.valueOf(r.get(1)), r.getString(2), metrics, meta, Lineage.parse(meta)));
        }
        return commits;
    }

    public long latestVersion(TableLocation table) {
        long version = snapshotVersion(table);
        if (version < 0) {
            requireExists(table);
        }
        return version;
    }

    /** The version a spec names, checked against the table's history; latest when none is given. */
    public long resolveVersion(TableLocation table, Long requested) {
        long latest = latestVersion(table);
        if (requested == null) {
            return latest;
        }
        if (requested > latest) {
            throw new UserError("table '" + table.name() + "' has versions 0.." + latest + "; version " + requested
                    + " does not exist");
        }
        return requested;
    }

    /** Rows of {@code table} at {@code version}. */
    public Dataset<Row> read(TableLocation table, long version) {
        try {
            return spark().read().format("delta").option("versionAsOf", version).load(table.path());
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("Cannot time travel")) {
                throw new UserError("table '" + table.name() + "' version " + version
                        + " cannot be read: its files were vacuumed or the log was cleaned up");
            }
            throw e;
        }
    }

    /** Hadoop settings including session-level spark.hadoop.* overrides (s3a endpoint, keys, ...). */
    public Configuration hadoopConf() {
        return spark != null ? spark.sessionState().newHadoopConf() : conf;
    }
}
