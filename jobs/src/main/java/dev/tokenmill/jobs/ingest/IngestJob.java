package dev.tokenmill.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.DeltaWrites;
import dev.tokenmill.jobs.lake.FileSizing;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.util.CodeVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code ingest}: raw files → {@code raw/<source>} (documents) and {@code quarantine/<source>} (records that could
 * not be used, with file, line and rule). Rows already in the table (same id) are not added again, so re-ingesting
 * the same files adds nothing. The runner skips an input whose files are unchanged since the last commit (their
 * listing is part of the step's fingerprint).
 */
public final class IngestJob {

    /**
     * What an ingest did. Like {@code added} and {@code alreadyPresent} for documents, {@code quarantined} counts
     * every unparseable record read (by rule in {@code quarantinedByRule}) and {@code quarantinedNew} those not in
     * the quarantine table before.
     */
    public record Result(
            int files,
            long records,
            long added,
            long alreadyPresent,
            long quarantined,
            long quarantinedNew,
            Map<String, Long> quarantinedByRule,
            long version,
            boolean upToDate) {}

    private final Lake lake;

    public IngestJob(Lake lake) {
        this.lake = lake;
    }

    /** The files an ingest will read and its options with the format resolved; reads no records. */
    public record Prepared(IngestOptions options, List<InputFile> files, TableLocation raw, TableLocation quarantine) {
        /** What identifies the input: each file's relative name, size and modification time. */
        public List<List<Object>> listing() {
            return files.stream()
                    .map(f -> List.<Object>of(f.relative(), f.size(), f.modified()))
                    .toList();
        }
    }

    public Prepared prepare(IngestOptions requested) {
        validateSource(requested.source());
        List<InputFile> files = InputFiles.expand(requested.input(), lake.hadoopConf());
        IngestOptions options = withFormat(requested, files);
        return new Prepared(
                options, files, lake.locate("raw/" + options.source()), lake.locate("quarantine/" + options.source()));
    }

    /**
     * Reads the prepared files and adds their new records to the raw table (and unparseable ones to quarantine),
     * each commit carrying the runner's fingerprint and config.
     */
    public Result write(Prepared prepared, String fingerprint, Map<String, Object> config, Long seed, String recipe) {
        SparkSession spark = lake.spark();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        IngestOptions options = prepared.options();
        List<InputFile> files = prepared.files();
        TableLocation raw = prepared.raw();
        TableLocation quarantine = prepared.quarantine();
        boolean rawExists = lake.exists(raw);

        Dataset<Row> tagged = options.format() == IngestOptions.Format.PARQUET
                ? parquetRecords(spark, files, options)
                : lineRecords(spark, lake.hadoopConf(), files, options);
        if (options.idField() != null) {
            tagged = markDuplicateIds(tagged);
        }
        Dataset<Row> cached = tagged.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> byRule = new LinkedHashMap<>();
            long documents = 0;
            long documentBytes = 0;
            for (Row r : cached.groupBy(col(Rejection.COLUMN + ".rule"))
                    .agg(functions.count(lit(1)), functions.sum(functions.octet_length(col("text"))))
                    .collectAsList()) {
                if (r.isNullAt(0)) {
                    documents = r.getLong(1);
                    documentBytes = r.isNullAt(2) ? 0 : r.getLong(2);
                } else {
                    byRule.put(r.getString(0), r.getLong(1));
                }
            }
            long quarantinedCount =
                    byRule.values().stream().mapToLong(Long::longValue).sum();
            long records = documents + quarantinedCount;
            if (records == 0) {
                throw new JobFailure(
                        "input '" + options.input() + "' holds no records (" + files.size() + " file(s), all empty)");
            }

            Dataset<Row> docs = cached.filter(col(Rejection.COLUMN).isNull())
                    .select("id", "source", "text", "meta", "file", "line");
            Dataset<Row> bad = cached.filter(col(Rejection.COLUMN).isNotNull())
                    .select(
                            col("source"),
                            col("file"),
                            col("line"),
                            col(Rejection.COLUMN + ".rule").as("rule"),
                            col(Rejection.COLUMN + ".detail").as("detail"),
                            col(IngestRow.RAW).as("raw"),
                            col(IngestRow.RAW_BYTES).as("raw_bytes"));

            long added = documents;
            if (rawExists) {
                docs = docs.join(
                        lake.read(raw, lake.latestVersion(raw)).select(col("id").as("existing_id")),
                        docs.col("id").equalTo(col("existing_id")),
                        "left_anti");
            }
            Lineage.Input input = Lineage.Input.files(
                    qualifiedInput(options.input()),
                    files.size(),
                    files.stream().mapToLong(InputFile::size).sum());
            List<Lineage.Input> inputs = List.of(input);

            // quarantine first: the raw commit (with the fingerprint) is the marker that the ingest is complete
            boolean quarantineExists = lake.exists(quarantine);
            Dataset<Row> newBad = quarantineExists
                    ? bad.join(
                            lake.read(quarantine, lake.latestVersion(quarantine))
                                    .select(
                                            col("file").as("qf"),
                                            col("line").as("ql"),
                                            col("rule").as("qr")),
                            bad.col("file")
                                    .equalTo(col("qf"))
                                    .and(bad.col("line").eqNullSafe(col("ql")))
                                    .and(bad.col("rule").equalTo(col("qr"))),
                            "left_anti")
                    : bad;
            long newQuarantined = quarantineExists ? newBad.count() : quarantinedCount;
            if (newQuarantined > 0) {
                Lineage ql = lineage(
                        config,
                        fingerprint,
                        inputs,
                        quarantine.name(),
                        null,
                        records,
                        newQuarantined,
                        0,
                        byRule,
                        Map.of(),
                        seed,
                        recipe,
                        started,
                        t0);
                DeltaWrites.insertNew(
                        spark,
                        newBad,
                        quarantine,
                        "t.file = s.file AND t.line <=> s.line AND t.rule = s.rule",
                        ql.toJson(),
                        quarantineExists,
                        0);
            }

            if (rawExists) {
                added = docs.count();
            }
            long alreadyPresent = documents - added;
            long version = rawExists ? lake.latestVersion(raw) : -1;
            if (added > 0 || !rawExists) {
                Map<String, Long> counters = new LinkedHashMap<>();
                counters.put("documents_read", documents);
                counters.put("already_present", alreadyPresent);
                Lineage rl = lineage(
                        config,
                        fingerprint,
                        inputs,
                        raw.name(),
                        quarantine.name(),
                        records,
                        added,
                        quarantinedCount,
                        byRule,
                        counters,
                        seed,
                        recipe,
                        started,
                        t0);
                DeltaWrites.insertNew(
                        spark,
                        docs,
                        raw,
                        "t.id = s.id",
                        rl.toJson(),
                        rawExists,
                        FileSizing.rowsPerFile(
                                documents, documentBytes, spark.sparkContext().defaultParallelism()));
                version = lake.latestVersion(raw);
            }
            return new Result(
                    files.size(),
                    records,
                    added,
                    alreadyPresent,
                    quarantinedCount,
                    newQuarantined,
                    byRule,
                    version,
                    false);
        } finally {
            cached.unpersist();
        }
    }

    private static void validateSource(String source) {
        if (source == null || !source.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new UserError(
                    "--source must be a simple name (letters, digits, '_', '-', '.'), got '" + source + "'");
        }
    }

    /**
     * The format to read with: the one given, else each file's by its extension. Line formats (jsonl, tsv, text) may
     * be mixed in one input, each file read as its own; parquet goes through another reader and is refused beside
     * them.
     */
    private static IngestOptions withFormat(IngestOptions o, List<InputFile> files) {
        Map<IngestOptions.Format, Long> formats = new java.util.TreeMap<>();
        if (o.format() != null) {
            formats.put(o.format(), (long) files.size());
        } else {
            files.forEach(f -> formats.merge(IngestOptions.guess(f.relative()), 1L, Long::sum));
        }
        if (formats.size() > 1 && formats.containsKey(IngestOptions.Format.PARQUET)) {
            throw new UserError("input '" + o.input() + "' mixes parquet with line formats (" + describe(formats)
                    + "): ingest the parquet files with an --input of their own");
        }
        if (formats.containsKey(IngestOptions.Format.TSV)) {
            if (o.columns() == null || o.columns().isEmpty()) {
                throw new UserError("tsv input needs --columns (e.g. --columns title,date,text)");
            }
            if (!o.columns().contains(o.textField())) {
                throw new UserError("--columns " + String.join(",", o.columns()) + " has no text column '"
                        + o.textField() + "' (set --text-field)");
            }
        }
        IngestOptions.Format format =
                formats.size() == 1 ? formats.keySet().iterator().next() : null;
        return new IngestOptions(o.source(), o.input(), format, o.textField(), o.idField(), o.columns(), o.perLine());
    }

    private static String describe(Map<IngestOptions.Format, Long> formats) {
        List<String> parts = new ArrayList<>();
        formats.forEach((f, n) -> parts.add(f.name().toLowerCase() + ": " + n + " file(s)"));
        return String.join(", ", parts);
    }

    private String qualifiedInput(String input) {
        try {
            Path p = new Path(input);
            return p.getFileSystem(lake.hadoopConf()).makeQualified(p).toString();
        } catch (Exception e) {
            return input;
        }
    }

    /** JSONL, TSV and text: one task per file (compressed files cannot be split), streamed record by record. */
    private static Dataset<Row> lineRecords(
            SparkSession spark,
            org.apache.hadoop.conf.Configuration hadoopConf,
            List<InputFile> files,
            IngestOptions options) {
        Map<String, String> conf = new HashMap<>();
        hadoopConf.forEach(e -> conf.put(e.getKey(), e.getValue()));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * 4));
        JavaRDD<Row> rows = jsc.parallelize(new ArrayList<>(files), slices)
                .flatMap(f -> new FileRecords(f, options.forFile(f.relative()), conf));
        return spark.createDataFrame(rows, IngestRow.SCHEMA);
    }

    /** Parquet: Spark reads it (splittable); each row is checked and mapped to the ingest shape. */
    private static Dataset<Row> parquetRecords(SparkSession spark, List<InputFile> files, IngestOptions options) {
        Dataset<Row> df =
                spark.read().parquet(files.stream().map(InputFile::path).toArray(String[]::new));
        List<String> names = List.of(df.columns());
        if (!names.contains(options.textField())) {
            throw new UserError("parquet input has no column '" + options.textField() + "' (columns: "
                    + String.join(", ", names) + "); set --text-field");
        }
        if (options.idField() != null && !names.contains(options.idField())) {
            throw new UserError("parquet input has no column '" + options.idField() + "' (columns: "
                    + String.join(", ", names) + ")");
        }
        List<Column> rest = new ArrayList<>();
        for (String n : names) {
            if (!n.equals(options.textField()) && !n.equals(options.idField())) {
                rest.add(col("`" + n + "`"));
            }
        }
        Column meta = rest.isEmpty() ? lit(null).cast("string") : to_json(struct(rest.toArray(new Column[0])));
        Column id = options.idField() == null
                ? lit(null).cast("string")
                : col("`" + options.idField() + "`").cast("string");
        Dataset<Row> selected = df.select(
                col("`" + options.textField() + "`").cast("string").as("t"),
                id.as("i"),
                meta.as("m"),
                col("_metadata.file_path").as("f"),
                col("_metadata.row_index").as("r"),
                to_json(struct(col("*"))).as("raw"));
        Map<String, String> relative = new HashMap<>();
        for (InputFile f : files) {
            relative.put(new Path(f.path()).toUri().getPath(), f.relative());
        }
        String source = options.source();
        boolean hasIdField = options.idField() != null;
        MapFunction<Row, Row> toIngestRow = r -> {
            String file = r.getString(3);
            long line = r.getLong(4) + 1;
            String text = r.getString(0);
            if (text == null || text.isBlank()) {
                return IngestRow.quarantined(
                        source,
                        file,
                        line,
                        text == null ? "missing-text" : "empty-text",
                        "column is " + (text == null ? "null" : "empty"),
                        r.getString(5),
                        null);
            }
            String docId = r.getString(1);
            if (hasIdField && (docId == null || docId.isEmpty())) {
                return IngestRow.quarantined(
                        source, file, line, "missing-id", "id column is null or empty", r.getString(5), null);
            }
            if (!hasIdField) {
                String rel = relative.getOrDefault(new Path(file).toUri().getPath(), new Path(file).getName());
                docId = Ids.of(source, rel, line);
            }
            return IngestRow.document(docId, source, text, r.getString(2), file, line);
        };
        return selected.map(toIngestRow, Encoders.row(IngestRow.SCHEMA));
    }

    /** With a user id field, the second and later rows of an id are quarantined as {@code duplicate-id}. */
    private static Dataset<Row> markDuplicateIds(Dataset<Row> tagged) {
        Column rank = row_number().over(Window.partitionBy("id").orderBy(col("file"), col("line")));
        Column dupTag = struct(
                lit("duplicate-id").as("rule"),
                lit(null).cast("double").as("value"),
                lit(null).cast("double").as("threshold"),
                lit("id already used by an earlier record of this input").as("detail"));
        Dataset<Row> docs = tagged.filter(col(Rejection.COLUMN).isNull()).withColumn("_rank", rank);
        Dataset<Row> marked = docs.withColumn(
                        Rejection.COLUMN,
                        when(col("_rank").gt(1), dupTag).otherwise(lit(null).cast(Rejection.TYPE)))
                .withColumn(
                        IngestRow.RAW,
                        when(col("_rank").gt(1), col("text"))
                                .otherwise(lit(null).cast("string")))
                .drop("_rank");
        return marked.unionByName(tagged.filter(col(Rejection.COLUMN).isNotNull()));
    }

    private static Lineage lineage(
            Map<String, Object> config,
            String fingerprint,
            List<Lineage.Input> inputs,
            String output,
            String rejectedTable,
            long in,
            long out,
            long rejected,
            Map<String, Long> byRule,
            Map<String, Long> counters,
            Long seed,
            String recipe,
            Instant started,
            long t0) {
        return new Lineage(
                Lineage.FORMAT,
                "ingest",
                fingerprint,
                inputs,
                output,
                rejectedTable,
                config,
                CodeVersion.get(),
                seed,
                recipe,
                in,
                out,
                rejected,
                byRule,
                counters,
                started.toString(),
                (System.nanoTime() - t0) / 1_000_000);
    }
}
