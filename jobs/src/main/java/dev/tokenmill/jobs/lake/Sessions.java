package dev.tokenmill.jobs.lake;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The SparkSession every verb uses: Delta's extension and catalog, quiet UI, the user's --conf settings. */
public final class Sessions {
    private Sessions() {}

    /**
     * Returns the active session if one exists (tests, notebooks, spark-submit drivers that made one),
     * otherwise builds one. {@code master} is applied only when spark-submit did not set one.
     */
    public static SparkSession getOrCreate(String master, Map<String, String> conf) {
        SparkSession active = SparkSession.getActiveSession()
                .getOrElse(() -> SparkSession.getDefaultSession().getOrElse(() -> null));
        if (active != null) {
            // session-level settings; Hadoop ones also without the prefix, as newHadoopConf() copies keys verbatim
            conf.forEach((k, v) -> {
                active.conf().set(k, v);
                if (k.startsWith("spark.hadoop.")) {
                    active.conf().set(k.substring("spark.hadoop.".length()), v);
                }
            });
            return active;
        }
        SparkConf sparkConf = new SparkConf(true);
        if (!sparkConf.contains("spark.master")) {
            sparkConf.setMaster(master == null ? "local[*]" : master);
        }
        sparkConf.setIfMissing("spark.app.name", "tokenmill");
        sparkConf.set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        sparkConf.set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        sparkConf.setIfMissing("spark.ui.enabled", "false");
        sparkConf.setIfMissing("spark.ui.showConsoleProgress", "false");
        sparkConf.setIfMissing("spark.sql.shuffle.partitions", "8");
        sparkConf.setIfMissing("spark.driver.host", "127.0.0.1");
        // Delta replays its log with 50 tasks by default: far too many for the small logs of pipeline tables. At most
        // one wave of them: on 2 local cores, 8 tasks made each of the three replay jobs per write take 0.3 s, not 0.1
        int cores = localCores(sparkConf.get("spark.master"));
        sparkConf.setIfMissing(
                "spark.databricks.delta.snapshotPartitions", String.valueOf(cores > 0 ? Math.min(8, cores) : 8));
        // Stage results are cached between their kernel pass and their writes. The cache's compression tries
        // dictionary and run-length encoding on every value, which for a text column means hashing each document,
        // for no gain (documents do not repeat): a tenth of a no-op stage's CPU. Cached batches stay uncompressed.
        sparkConf.setIfMissing("spark.sql.inMemoryColumnarStorage.compressed", "false");
        S3A_DEFAULTS.forEach(sparkConf::setIfMissing);
        conf.forEach(sparkConf::set);
        // ...and timeouts that apply as set (S3A would raise them to 15 s), in the driver and every executor
        String plugins = sparkConf.get("spark.plugins", "");
        if (!plugins.contains(S3aTimeouts.class.getName())) {
            sparkConf.set(
                    "spark.plugins",
                    plugins.isBlank() ? S3aTimeouts.class.getName() : plugins + "," + S3aTimeouts.class.getName());
        }
        S3aTimeouts.lowerFloor();
        SparkSession session = SparkSession.builder().config(sparkConf).getOrCreate();
        balanceSplits(session);
        return session;
    }

    /** True when this JVM already has a SparkSession (a test, a notebook, a driver that made one). */
    public static boolean active() {
        return SparkSession.getActiveSession().isDefined()
                || SparkSession.getDefaultSession().isDefined();
    }

    /**
     * The Hadoop settings a session built from {@code conf} would give its readers, without building one: the
     * {@code spark.hadoop.*} keys without their prefix, over the S3A defaults of {@link #getOrCreate}.
     */
    public static org.apache.hadoop.conf.Configuration hadoopConf(Map<String, String> conf) {
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        S3A_DEFAULTS.forEach((k, v) -> hadoop.set(k.substring("spark.hadoop.".length()), v));
        conf.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
                hadoop.set(k.substring("spark.hadoop.".length()), v);
            }
        });
        S3aTimeouts.lowerFloor();
        return hadoop;
    }

    /** S3A defaults that make a wrong endpoint fail in seconds rather than minutes of retries. */
    private static final Map<String, String> S3A_DEFAULTS = Map.of(
            "spark.hadoop.fs.s3a.attempts.maximum", "2",
            "spark.hadoop.fs.s3a.retry.limit", "2",
            "spark.hadoop.fs.s3a.connection.establish.timeout", "5s");

    /** The cores of a local master ("local", "local[4]", "local[*]", "local[4,2]"), or -1 for any other master. */
    static int localCores(String master) {
        if (master.equals("local")) {
            return 1;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("local\\[(\\*|\\d+)(,\\d+)?\\]").matcher(master);
        if (!m.matches()) {
            return -1;
        }
        return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    }

    private static final String MIN_SPLITS = "spark.sql.files.minPartitionNum";
    private static final String MIN_SPLITS_OURS = "tokenmill.files.minPartitionNum.auto";

    /**
     * Asks for four file splits per core in the reads planned from now on, unless the user chose a value. Spark packs
     * a table's files into about one read task per core (up to 128 MB each): 8 files of 31 MB on 2 cores become 3
     * tasks, so a CPU-bound stage ends with one core idle for a third of its time; four per core gives tasks of one
     * file each there and a short last wave in general. Called again before each stage, as a cluster's cores grow
     * while executors register.
     */
    public static void balanceSplits(SparkSession spark) {
        String current = spark.conf().get(MIN_SPLITS, null);
        if (current != null && !"true".equals(spark.conf().get(MIN_SPLITS_OURS, "false"))) {
            return; // the user's setting
        }
        spark.conf().set(MIN_SPLITS, String.valueOf(4L * spark.sparkContext().defaultParallelism()));
        spark.conf().set(MIN_SPLITS_OURS, "true");
    }
}
