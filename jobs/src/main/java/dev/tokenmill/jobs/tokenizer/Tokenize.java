package dev.tokenmill.jobs.tokenizer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.tokenizer.pack.Packer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code tokenize} step: documents of a table version, in id order, encoded with a trained tokenizer and packed
 * into samples of seq_len + 1 tokens with EOS after every document ({@link Packer}). Each partition packs its own
 * range of ids; its last, shorter sample is kept (length &lt; seq_len + 1), so no token is lost or repeated. The
 * output table has (sample_id, tokens, length, documents) and a lineage that names the tokenizer and its SHA-256.
 */
public final class Tokenize {
    public static final StructType SCHEMA = new StructType()
            .add("sample_id", DataTypes.LongType, false)
            .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("length", DataTypes.IntegerType, false)
            .add("documents", DataTypes.IntegerType, false);

    /** Parsed tokenizers per executor JVM, by SHA-256 of their JSON. */
    private static final Map<String, TextTokenizer> MODELS = new ConcurrentHashMap<>();

    public record Tokenizer(String path, String json, String sha256) implements java.io.Serializable {}

    private Tokenize() {}

    public static Tokenizer tokenizer(Lake lake, String dirOrFile) {
        String path = lake.locate(dirOrFile).path();
        Path file = path.endsWith(".json") ? new Path(path) : new Path(path, "tokenizer.json");
        try {
            FileSystem fs = file.getFileSystem(lake.hadoopConf());
            if (!fs.exists(file)) {
                throw new UserError("no tokenizer at " + file + " (train one with tokenmill train-tokenizer)");
            }
            byte[] bytes;
            try (InputStream in = fs.open(file)) {
                bytes = in.readAllBytes();
            }
            String sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            return new Tokenizer(file.toString(), new String(bytes, StandardCharsets.UTF_8), sha);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new JobFailure("cannot read the tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /** The parsed tokenizer, once per JVM. */
    public static TextTokenizer model(Tokenizer t) {
        return MODELS.computeIfAbsent(t.sha256(), sha -> {
            try {
                return TextTokenizer.parseJson(t.json(), t.path());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * The packed samples of {@code docs} (persisted: release them after writing), with the counts and the
     * tokenizer facts the lineage records. {@code eos}: the special token placed after each document.
     */
    public record Packed(
            Dataset<Row> samples,
            long documents,
            long sampleCount,
            Map<String, Long> counters,
            Map<String, Object> results) {}

    public static Packed pack(
            Lake lake,
            Dataset<Row> docs,
            String table,
            Tokenizer tokenizer,
            int seqLen,
            String eos,
            String idColumn,
            String textColumn) {
        TextTokenizer driverModel;
        try {
            driverModel = model(tokenizer);
        } catch (RuntimeException e) {
            throw new UserError("cannot load the tokenizer " + tokenizer.path() + ": " + e.getMessage());
        }
        int eosId = driverModel.id(eos);
        if (eosId < 0) {
            throw new UserError("the tokenizer has no token '" + eos + "' for end of document (its special tokens: "
                    + driverModel.specialTokens() + ")");
        }
        for (String c : List.of(idColumn, textColumn)) {
            if (!List.of(docs.columns()).contains(c)) {
                throw new UserError("table " + table + " has no column '" + c + "'");
            }
        }
        Broadcast<Tokenizer> shared = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                        lake.spark().sparkContext())
                .broadcast(tokenizer);
        MapPartitionsFunction<Row, Row> pack = rows -> {
            TextTokenizer model = model(shared.value());
            long base = (long) TaskContext.getPartitionId() << 40;
            List<Row> out = new ArrayList<>();
            long[] n = {0};
            Packer packer = new Packer(seqLen, eosId, s -> {
                Integer[] boxed = new Integer[s.tokens().length];
                for (int i = 0; i < boxed.length; i++) {
                    boxed[i] = s.tokens()[i];
                }
                out.add(RowFactory.create(base + n[0]++, boxed, boxed.length, s.documentsStarted()));
            });
            while (rows.hasNext()) {
                Row r = rows.next();
                packer.add(model.encode(r.isNullAt(1) ? "" : r.getString(1)));
            }
            packer.finish();
            return out.iterator();
        };
        Dataset<Row> packed = docs.select(col("`" + idColumn + "`"), col("`" + textColumn + "`"))
                .orderBy(col("`" + idColumn + "`"))
                .mapPartitions(pack, Encoders.row(SCHEMA))
                .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        Row totals = packed.agg(
                        count(lit(1)),
                        sum("length"),
                        sum("documents"),
                        sum(org.apache
                                .spark
                                .sql
                                .functions
                                .when(col("length").equalTo(seqLen + 1), 1)
                                .otherwise(0)))
                .first();
        long samples = totals.getLong(0);
        long tokens = totals.isNullAt(1) ? 0 : totals.getLong(1);
        long documents = totals.isNullAt(2) ? 0 : totals.getLong(2);
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("documents", documents);
        counters.put("tokens", tokens);
        counters.put("samples", samples);
        counters.put("full_samples", totals.isNullAt(3) ? 0 : totals.getLong(3));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("vocab_size", driverModel.vocabSize());
        results.put("eos_id", eosId);
        return new Packed(packed, documents, samples, counters, results);
    }
}
