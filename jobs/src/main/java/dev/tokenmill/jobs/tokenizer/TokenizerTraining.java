package dev.tokenmill.jobs.tokenizer;

import static org.apache.spark.sql.functions.col;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.SqlFilter;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.tokenizer.bpe.BpeModel;
import dev.tokenmill.tokenizer.bpe.BpeTrainer;
import dev.tokenmill.tokenizer.bpe.ByteLevel;
import dev.tokenmill.tokenizer.bpe.PreTokenizer;
import dev.tokenmill.tokenizer.bpe.TokenizerJson;
import dev.tokenmill.tokenizer.unigram.SentencePieceModel;
import dev.tokenmill.tokenizer.unigram.SpmNormalizer;
import dev.tokenmill.tokenizer.unigram.UnigramJson;
import dev.tokenmill.tokenizer.unigram.UnigramModel;
import dev.tokenmill.tokenizer.unigram.UnigramTrainer;
import java.io.IOException;
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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Trains a tokenizer (byte-level BPE or Unigram) on a table version: words are counted in Spark tasks, the model
 * is learned on the driver. Writes {@code OUTPUT/tokenizer.json} (both types; Unigram also
 * {@code OUTPUT/tokenizer.model}, SentencePiece's format) and {@code OUTPUT/tokenmill-lineage.json} (input
 * version, filter, settings, word counts and the SHA-256 of tokenizer.json — the hash the tokenize stage records).
 */
public final class TokenizerTraining {
    /** What a training wrote; {@code files}: the text files read (path, bytes, modified), empty for a table. */
    public record Result(
            String path,
            long distinctWords,
            long words,
            int vocabSize,
            String sha256,
            double seconds,
            List<Map<String, Object>> files) {
        /** What the lineage JSON records about the tokenizer. */
        public Map<String, Object> results() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("distinct_words", distinctWords);
            m.put("words", words);
            m.put("vocab_size", vocabSize);
            m.put("tokenizer_sha256", sha256);
            return m;
        }
    }

    /**
     * What to train. {@code type} bpe (byte-level; minFrequency, preTokenizer, limitAlphabet: 0 = all bytes) or unigram (SentencePiece's
     * algorithm; characterCoverage, normalization nfkc|identity, byteFallback, maxPieceLength).
     */
    public record Settings(
            String type,
            int vocabSize,
            List<String> specialTokens,
            int minFrequency,
            String preTokenizer,
            int limitAlphabet,
            double characterCoverage,
            String normalization,
            boolean byteFallback,
            int maxPieceLength) {
        /** Fails with the trainer's own message on a bad combination, before any Spark work. */
        public void validate() {
            if (type.equals("bpe")) {
                java.util.regex.Pattern.compile(PreTokenizer.of(preTokenizer).regex());
                new BpeTrainer.Options(vocabSize, minFrequency, specialTokens, limitAlphabet);
            } else if (type.equals("unigram")) {
                unigramOptions();
            } else {
                throw new IllegalArgumentException("type must be bpe or unigram, got '" + type + "'");
            }
        }

        UnigramTrainer.Options unigramOptions() {
            UnigramTrainer.Options o = UnigramTrainer.Options.defaults(vocabSize)
                    .withSpecialTokens(specialTokens)
                    .withCharacterCoverage(characterCoverage)
                    .withByteFallback(byteFallback)
                    .withNormalizer(SpmNormalizer.of(normalization, true, true))
                    .withMaxPieceLength(maxPieceLength);
            o.validate();
            return o;
        }
    }

    private TokenizerTraining() {}

    /** The trainer's progress (merges done; Unigram's EM and pruning rounds), on stderr beside the step's lines. */
    private static void progress(String line) {
        System.err.println("  tokenizer: " + line);
        System.err.flush();
    }

    public static Result train(
            Lake lake,
            TableLocation table,
            long version,
            String where,
            String textColumn,
            Settings settings,
            String output) {
        Dataset<Row> df = lake.read(table, version);
        if (!List.of(df.columns()).contains(textColumn)) {
            throw new UserError("table " + table.name() + "@" + version + " has no column '" + textColumn + "'");
        }
        df = SqlFilter.apply(df, where, "where");
        try {
            settings.validate();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        long t0 = System.nanoTime();
        JavaRDD<String> texts = df.select(col(textColumn))
                .where(col(textColumn).isNotNull())
                .javaRDD()
                .map(r -> r.getString(0));
        Map<String, Long> words = new HashMap<>(countWords(texts, settings).collectAsMap());
        if (words.isEmpty()) {
            throw new UserError(
                    "no text in " + table.name() + "@" + version + (where == null ? "" : " where " + where));
        }
        String dir = lake.locate(output).path();
        try {
            return trainAndWrite(words, settings, new Path(dir).getFileSystem(lake.hadoopConf()), dir, List.of(), t0);
        } catch (IOException e) {
            throw new JobFailure("cannot write the tokenizer to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The same training on plain text files, without Spark: lines are counted on {@code threads} threads as they
     * are read ({@code spm_train --input} and HF's {@code train(files)} take files the same way).
     */
    public static Result trainOnFiles(
            List<java.nio.file.Path> files, Settings settings, java.nio.file.Path output, int threads) {
        try {
            settings.validate();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        long t0 = System.nanoTime();
        Map<String, Long> words = new HashMap<>();
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (java.nio.file.Path file : files) {
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new UserError("--text-file " + file + " does not exist");
            }
            try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Map<String, Long> counted;
                if (settings.type().equals("bpe")) {
                    counted = dev.tokenmill.tokenizer.bpe.WordCounter.count(
                            in, PreTokenizer.of(settings.preTokenizer()), threads);
                } else {
                    SpmNormalizer normalizer = SpmNormalizer.of(settings.normalization(), true, true);
                    counted = dev.tokenmill.tokenizer.bpe.WordCounter.count(
                            in, block -> UnigramTrainer.countWords(block, normalizer), threads);
                }
                counted.forEach((w, c) -> words.merge(w, c, Long::sum));
                inputs.add(Map.of(
                        "path",
                        file.toAbsolutePath().toString(),
                        "bytes",
                        java.nio.file.Files.size(file),
                        "modified",
                        java.nio.file.Files.getLastModifiedTime(file).toString()));
            } catch (java.nio.charset.MalformedInputException e) {
                throw new UserError("--text-file " + file + " is not valid UTF-8");
            } catch (IOException e) {
                throw new JobFailure("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (words.isEmpty()) {
            throw new UserError("no text in " + files);
        }
        String dir = output.toAbsolutePath().toUri().toString();
        try {
            return trainAndWrite(
                    words, settings, FileSystem.getLocal(new org.apache.hadoop.conf.Configuration()), dir, inputs, t0);
        } catch (IOException e) {
            throw new JobFailure("cannot write the tokenizer to " + output + ": " + e.getMessage(), e);
        }
    }

    /** Trains on counted words and writes tokenizer.json (+ tokenizer.model for Unigram); the caller adds the lineage. */
    private static Result trainAndWrite(
            Map<String, Long> words,
            Settings settings,
            FileSystem fs,
            String dir,
            List<Map<String, Object>> files,
            long t0)
            throws IOException {
        long total = words.values().stream().mapToLong(Long::longValue).sum();
        byte[] json;
        byte[] spmModel = null;
        int size;
        try {
            if (settings.type().equals("bpe")) {
                BpeModel model = new BpeTrainer(new BpeTrainer.Options(
                                settings.vocabSize(),
                                settings.minFrequency(),
                                settings.specialTokens(),
                                settings.limitAlphabet()))
                        .train(words, TokenizerTraining::progress)
                        .withPreTokenizer(PreTokenizer.of(settings.preTokenizer()));
                json = TokenizerJson.toJson(model).getBytes(StandardCharsets.UTF_8);
                size = model.vocabSize();
            } else {
                UnigramModel model =
                        UnigramTrainer.train(words, settings.unigramOptions(), TokenizerTraining::progress);
                json = UnigramJson.toJson(model).getBytes(StandardCharsets.UTF_8);
                spmModel = SentencePieceModel.toBytes(model);
                size = model.vocabSize();
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        write(fs, new Path(dir, "tokenizer.json"), json);
        if (spmModel != null) {
            write(fs, new Path(dir, "tokenizer.model"), spmModel); // SentencePiece's format, same ids
        }
        return new Result(
                dir + "/tokenizer.json", words.size(), total, size, sha, (System.nanoTime() - t0) / 1e9, files);
    }

    private static void write(FileSystem fs, Path file, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            out.write(bytes);
        }
    }

    /**
     * Word counts in Spark tasks: each partition counts into a local map, then a reduce by word. BPE words are
     * byte-level pre-tokens; Unigram words are {@code ▁}-prefixed pieces of each normalised line.
     */
    private static JavaPairRDD<String, Long> countWords(JavaRDD<String> texts, Settings settings) {
        String type = settings.type();
        String regexName = settings.preTokenizer();
        String normalization = settings.normalization();
        return texts.mapPartitionsToPair(rows -> {
                    Map<String, long[]> local = new HashMap<>();
                    List<Tuple2<String, Long>> out = new ArrayList<>();
                    if (type.equals("bpe")) {
                        PreTokenizer pre = PreTokenizer.of(regexName);
                        while (rows.hasNext()) {
                            pre.split(rows.next(), piece -> local.computeIfAbsent(piece, p -> new long[1])[0]++);
                        }
                        local.forEach((piece, c) -> out.add(new Tuple2<>(ByteLevel.encode(piece), c[0])));
                    } else {
                        SpmNormalizer normalizer = SpmNormalizer.of(normalization, true, true);
                        while (rows.hasNext()) {
                            UnigramTrainer.countWords(rows.next(), normalizer)
                                    .forEach((w, c) -> local.computeIfAbsent(w, k -> new long[1])[0] += c);
                        }
                        local.forEach((w, c) -> out.add(new Tuple2<>(w, c[0])));
                    }
                    return out.iterator();
                })
                .reduceByKey(Long::sum);
    }

    /** Loads a tokenizer.json from the lake (or any Hadoop path): a folder written by training, or the file. */
    public static TextTokenizer load(Lake lake, String tokenizerDirOrFile) {
        Tokenize.Tokenizer t = Tokenize.tokenizer(lake, tokenizerDirOrFile);
        try {
            return Tokenize.model(t);
        } catch (RuntimeException e) {
            throw new UserError("cannot load the tokenizer " + t.path() + ": " + e.getMessage());
        }
    }
}
