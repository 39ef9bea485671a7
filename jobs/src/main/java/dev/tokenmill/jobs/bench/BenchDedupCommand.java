package dev.tokenmill.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.tokenmill.dedup.bench.NearDuplicateCorpus;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.cli.LakeCommand;
import dev.tokenmill.jobs.dedup.DedupAccuracy;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.recipe.RecipeLoader;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import dev.tokenmill.jobs.util.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fuzzy dedup benchmarks. {@code --mode throughput}: the dedup-fuzzy stage end to end (shingle → signature →
 * LSH → verification → components → Delta writes) on Gutenberg passages at 1×, 2× and 4× input (all passages,
 * plus letter-shifted copies that share no shingle with them), with MB/s and docs/s per core, shuffle bytes, peak heap. {@code --mode accuracy}: the
 * labelled near-duplicate corpus made from those passages (or Europarl), scored against exact Jaccard.
 */
@Command(
        name = "dedup",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark: dedup-fuzzy end to end at 1×/2×/4× input (MB/s/core, shuffle, peak heap), or its accuracy on a labelled near-duplicate corpus.")
public final class BenchDedupCommand extends LakeCommand {
    @Option(
            names = "--mode",
            defaultValue = "throughput",
            description = "throughput or accuracy (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = "--input",
            required = true,
            description = "Gutenberg JSONL(.gz) books, or for accuracy a Europarl lines.txt.gz.")
    Path input;

    @Option(names = "--work-dir", required = true, description = "Scratch folder.")
    Path workDir;

    @Option(
            names = "--passage-words",
            defaultValue = "2000",
            description = "Passage size in words (default ${DEFAULT-VALUE}).")
    int passageWords;

    @Option(
            names = "--originals",
            defaultValue = "1000",
            description = "Accuracy: originals (default ${DEFAULT-VALUE}).")
    int originals;

    @Option(
            names = "--variants",
            defaultValue = "8",
            description = "Accuracy: variants per original (default ${DEFAULT-VALUE}).")
    int variants;

    @Option(
            names = "--param",
            description = "A dedup-fuzzy parameter, KEY=VALUE (repeatable), e.g. --param verify=false.")
    Map<String, String> params = new java.util.LinkedHashMap<>();

    @Option(
            names = "--processes",
            description = "Throughput as whole processes: bin/tokenmill run of the dedup-fuzzy recipe "
                    + "under GNU time, MB/s per core from its wall time (what a user pays).")
    boolean processes;

    @Override
    public void run() {
        if (!Files.exists(input)) {
            throw new UserError("input " + input + " does not exist");
        }
        Map<String, Object> stageParams = new java.util.LinkedHashMap<>(params);
        switch (mode) {
            case "throughput" -> throughput(stageParams);
            case "accuracy" -> accuracy(stageParams);
            default -> throw new UserError("--mode must be throughput or accuracy, got '" + mode + "'");
        }
    }

    private void accuracy(Map<String, Object> stageParams) {
        List<NearDuplicateCorpus.Source> sources;
        if (input.getFileName().toString().endsWith(".lines.txt.gz")) {
            sources = DedupAccuracy.europarl(input, 300);
        } else {
            Path file = Passages.write(input, workDir.resolve("passages-accuracy.jsonl.gz"), passageWords / 4, 1);
            sources = new ArrayList<>();
            for (Row r : lake().spark()
                    .read()
                    .json(file.toString())
                    .select("id", "title", "text")
                    .collectAsList()) {
                sources.add(new NearDuplicateCorpus.Source(r.getString(0), r.getString(1), r.getString(2)));
            }
        }
        Lake benchLake =
                new Lake(lake().spark(), workDir.resolve("lake-accuracy").toString());
        DedupAccuracy.Report report =
                DedupAccuracy.run(benchLake, sources, originals, variants, 42, stageParams, out());
        report.print(out());
        out().flush();
    }

    private void throughput(Map<String, Object> stageParams) {
        var spark = lake().spark();
        int cores = spark.sparkContext().defaultParallelism();
        out().printf("cores (Spark default parallelism): %d%n", cores);
        Path file = Passages.write(input, workDir.resolve("passages-x1.jsonl.gz"), passageWords, 1);
        Dataset<Row> all = spark.read().json(file.toString()).select("id", "text");
        org.apache.spark.sql.expressions.UserDefinedFunction rotate = org.apache.spark.sql.functions.udf(
                (org.apache.spark.sql.api.java.UDF2<String, Integer, String>) BenchDedupCommand::rotateLetters,
                org.apache.spark.sql.types.DataTypes.StringType);
        String recipeYaml = """
            name: bench-dedup
            stages:
              - stage: dedup-fuzzy
                input: raw/bench
                output: deduped/bench
                params: %s
            """.formatted(Json.write(withClusters(stageParams)));
        for (int scale : new int[] {1, 2, 4}) {
            // k× input: the passages plus k − 1 copies with every letter shifted by 1, 2, 3 places (a Caesar
            // cipher): the same lengths, word statistics and near-duplicate structure, but no shingle in common
            Dataset<Row> scaled = all;
            for (int k = 1; k < scale; k++) {
                scaled = scaled.union(all.select(
                        org.apache
                                .spark
                                .sql
                                .functions
                                .concat(col("id"), lit("-r" + k))
                                .as("id"),
                        rotate.apply(col("text"), lit(k)).as("text")));
            }
            Lake benchLake = new Lake(spark, workDir.resolve("lake-x" + scale).toString());
            scaled.repartition(cores * scale)
                    .write()
                    .format("delta")
                    .mode("overwrite")
                    .save(benchLake.locate("raw/bench").path());
            Row size = spark.read()
                    .format("delta")
                    .load(benchLake.locate("raw/bench").path())
                    .selectExpr("count(*)", "sum(length(text))")
                    .first();
            double mb = size.getLong(1) / 1e6;
            if (processes) {
                wholeProcess(benchLake, scale, size.getLong(0), mb, cores, recipeYaml);
                continue;
            }
            for (int run = 0; run < 2; run++) {
                AtomicLong shuffleBytes = new AtomicLong();
                SparkListener listener = new SparkListener() {
                    @Override
                    public void onTaskEnd(SparkListenerTaskEnd end) {
                        if (end.taskMetrics() != null) {
                            shuffleBytes.addAndGet(
                                    end.taskMetrics().shuffleWriteMetrics().bytesWritten());
                        }
                    }
                };
                spark.sparkContext().addSparkListener(listener);
                HeapPeaks.reset();
                StringWriter log = new StringWriter();
                long t0 = System.nanoTime();
                new RecipeRunner(benchLake, new PrintWriter(log, true))
                        .run(RecipeLoader.parse("bench-dedup", recipeYaml, Map.of()), true);
                double s = (System.nanoTime() - t0) / 1e9;
                try {
                    spark.sparkContext().listenerBus().waitUntilEmpty(60_000);
                } catch (java.util.concurrent.TimeoutException e) {
                    out().println("(listener events still pending: shuffle bytes may be undercounted)");
                }
                spark.sparkContext().removeSparkListener(listener);
                out().printf(
                                "%dx (%,d passages, %.1f MB) run %d: %.1f s = %.2f MB/s/core, %.0f docs/s/core,"
                                        + " shuffle %.1f MB, peak heap %d MB%n",
                                scale,
                                size.getLong(0),
                                mb,
                                run + 1,
                                s,
                                mb / s / cores,
                                size.getLong(0) / s / cores,
                                shuffleBytes.get() / 1e6,
                                HeapPeaks.peakMb());
                for (String line : log.toString().split("\n")) {
                    if (line.contains("dedup-fuzzy:") || line.contains(" kept, ")) {
                        out().println("    " + line.strip());
                    }
                }
                out().flush();
            }
        }
    }

    /** The recipe as {@code bin/tokenmill run RECIPE --force}, twice, under GNU time. */
    private void wholeProcess(Lake benchLake, int scale, long passages, double mb, int cores, String recipeYaml) {
        TimedProcess.requireTime();
        Path recipe = workDir.resolve("dedup.yaml");
        try {
            Files.writeString(recipe, recipeYaml);
            List<String> command =
                    List.of(TimedProcess.launcher(), "--lake", benchLake.root(), "run", recipe.toString(), "--force");
            for (int run = 1; run <= 2; run++) {
                TimedProcess.Measured m = TimedProcess.run(command, Map.of(), null);
                out().printf(
                                "%dx (%,d passages, %.1f MB) run %d, whole process: bin/tokenmill run %s = %.2f MB/s/core%n",
                                scale, passages, mb, run, m.describe(), mb / m.wall() / cores);
                out().flush();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Shifts every ASCII letter {@code k} places (a Caesar cipher); other characters stay. */
    static String rotateLetters(String text, Integer k) {
        char[] c = text.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'a' && c[i] <= 'z') {
                c[i] = (char) ('a' + (c[i] - 'a' + k) % 26);
            } else if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) ('A' + (c[i] - 'A' + k) % 26);
            }
        }
        return new String(c);
    }

    private static Map<String, Object> withClusters(Map<String, Object> params) {
        Map<String, Object> p = new java.util.LinkedHashMap<>(params);
        p.putIfAbsent("clusters", "dedup/bench-clusters");
        return p;
    }
}
