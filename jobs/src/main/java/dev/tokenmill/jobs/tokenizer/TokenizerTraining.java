package dev.tokenmill.jobs.tokenizer;

import static org.apache.spark.sql.functions.col;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.SqlFilter;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.tokenizer.bpe.BpeModel;
import dev.tokenmill.tokenizer.bpe.BpeTrainer;
import dev.tokenmill.tokenizer.bpe.ByteLevel;
import dev.tokenmill.tokenizer.bpe.PreTokenizer;
import dev.tokenmill.tokenizer.bpe.TokenizerJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Trains a byte-level BPE tokenizer on a table version: pre-tokens are counted in Spark tasks (each partition
 * counts into a local map, then a reduce by word), the merges are learned on the driver. Writes
 * {@code OUTPUT/tokenizer.json} and {@code OUTPUT/tokenmill-lineage.json} (input version, filter, settings, word
 * counts and the SHA-256 of tokenizer.json — the hash the tokenize stage records in its lineage).
 */
public final class TokenizerTraining {
    public record Result(String path, long distinctWords, long words, int vocabSize, String sha256, double seconds) {
    }

    private TokenizerTraining() {
    }

    public static Result trainBpe(Lake lake, TableLocation table, long version, String where, String textColumn,
                                  int vocabSize, int minFrequency, List<String> specialTokens, String preTokenizer,
                                  String output, String fingerprint) {
        Dataset<Row> df = lake.read(table, version);
        if (!List.of(df.columns()).contains(textColumn)) {
            throw new UserError("table " + table.name() + "@" + version + " has no column '" + textColumn + "'");
        }
        df = SqlFilter.apply(df, where, "where");
        BpeTrainer.Options options;
        try {
            options = new BpeTrainer.Options(vocabSize, minFrequency, specialTokens);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        long t0 = System.nanoTime();
        String regexName = preTokenizer;
        JavaPairRDD<String, Long> counts = df.select(col(textColumn)).where(col(textColumn).isNotNull()).javaRDD()
            .mapPartitionsToPair(rows -> {
                PreTokenizer pre = PreTokenizer.of(regexName);
                Map<String, long[]> local = new HashMap<>();
                while (rows.hasNext()) {
                    pre.split(rows.next().getString(0), piece -> local.computeIfAbsent(piece, p -> new long[1])[0]++);
                }
                List<Tuple2<String, Long>> out = new ArrayList<>(local.size());
                local.forEach((piece, c) -> out.add(new Tuple2<>(ByteLevel.encode(piece), c[0])));
                return out.iterator();
            })
            .reduceByKey(Long::sum);
        Map<String, Long> words = new HashMap<>(counts.collectAsMap());
        if (words.isEmpty()) {
            throw new UserError("no text in " + table.name() + "@" + version + (where == null ? "" : " where " + where));
        }
        long total = words.values().stream().mapToLong(Long::longValue).sum();
        BpeModel model = new BpeTrainer(options).train(words).withPreTokenizer(PreTokenizer.of(preTokenizer));
        String dir = lake.locate(output).path();
        try {
            byte[] json = TokenizerJson.toJson(model).getBytes(StandardCharsets.UTF_8);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
            Map<String, Object> lineage = new LinkedHashMap<>();
            lineage.put("fingerprint", fingerprint);
            lineage.put("type", "bpe");
            lineage.put("input", Map.of("table", table.name(), "path", table.path(), "version", version));
            lineage.put("where", where);
            lineage.put("vocab_size", vocabSize);
            lineage.put("min_frequency", minFrequency);
            lineage.put("special_tokens", specialTokens);
            lineage.put("pre_tokenizer", preTokenizer);
            lineage.put("distinct_words", words.size());
            lineage.put("words", total);
            lineage.put("tokenizer_sha256", sha);
            lineage.put("code_version", dev.tokenmill.jobs.util.CodeVersion.get());
            FileSystem fs = new Path(dir).getFileSystem(lake.hadoopConf());
            try (OutputStream out = fs.create(new Path(dir, "tokenizer.json"), true)) {
                out.write(json);
            }
            try (OutputStream out = fs.create(new Path(dir, "tokenmill-lineage.json"), true)) {
                out.write(Json.pretty(lineage).getBytes(StandardCharsets.UTF_8));
            }
            return new Result(dir + "/tokenizer.json", words.size(), total, model.vocab().size(), sha,
                (System.nanoTime() - t0) / 1e9);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new JobFailure("cannot write the tokenizer to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The fingerprint recorded beside an existing tokenizer, or null. */
    public static String recordedFingerprint(Lake lake, String output) {
        Path dir = new Path(lake.locate(output).path());
        try {
            FileSystem fs = dir.getFileSystem(lake.hadoopConf());
            Path lineage = new Path(dir, "tokenmill-lineage.json");
            if (!fs.exists(lineage) || !fs.exists(new Path(dir, "tokenizer.json"))) {
                return null;
            }
            try (InputStream in = fs.open(lineage)) {
                return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8)).path("fingerprint").asText(null);
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** Loads a tokenizer.json from the lake (or any Hadoop path): a folder written by training, or the file. */
    public static BpeModel load(Lake lake, String tokenizerDirOrFile) {
        Tokenize.Tokenizer t = Tokenize.tokenizer(lake, tokenizerDirOrFile);
        try {
            return Tokenize.model(t);
        } catch (RuntimeException e) {
            throw new UserError("cannot load the tokenizer " + t.path() + ": " + e.getMessage());
        }
    }
}
