package dev.tokenmill.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.cli.LakeCommand;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.recipe.RecipeLoader;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Mixing and decontamination throughput on Gutenberg passages. Three sources (about 50/30/20 % of the passages,
 * split by a hash of the id) are written as Delta tables; the peer is a plain Spark read of the three plus a Delta
 * write of all their rows; then the {@code mix} step draws 2× the smallest source (by characters, weights
 * 0.5/0.3/0.2, so the smallest is upsampled), each timed twice in the same session. Decontamination: the
 * {@code decontaminate} stage over the largest source against a 1 MB evaluation set (passages of other books
 * plus a few of the source's own), MB/s per core. {@code --processes}: both as whole {@code bin/tokenmill run}
 * processes under GNU time (the mix against a plain read + write process), what a user pays.
 */
@Command(
        name = "mix",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark: mix 3 sources to 2x the smallest vs a plain Spark read+write; decontamination MB/s/core.")
public final class BenchMixCommand extends LakeCommand {
    @Option(names = "--input", required = true, description = "Gutenberg JSONL(.gz) books.")
    Path input;

    @Option(names = "--work-dir", required = true, description = "Scratch folder.")
    Path workDir;

    @Option(
            names = "--passage-words",
            defaultValue = "500",
            description = "Passage size in words (default ${DEFAULT-VALUE}).")
    int passageWords;

    @Option(
            names = "--runs",
            defaultValue = "3",
            description = "Timed runs of each side (the first is cold; default ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--processes",
            description =
                    "Whole processes instead: bin/tokenmill run of the mix recipe against a process "
                            + "doing the plain read + write, and of the decontaminate recipe, each under GNU time, alternating.")
    boolean processes;

    @Option(
            names = "--plain-union-only",
            hidden = true,
            description = "The peer's process: the plain read of the three sources "
                    + "of WORK_DIR/lake and one Delta write of their rows.")
    boolean plainUnionOnly;

    private static final String[] SOURCE_TABLES = {"src/a", "src/b", "src/c"};

    @Override
    public void run() {
        if (plainUnionOnly) {
            plainUnion(new Lake(lake().spark(), workDir.resolve("lake").toString()));
            return;
        }
        if (!Files.exists(input)) {
            throw new UserError("input " + input + " does not exist");
        }
        var spark = lake().spark();
        int cores = spark.sparkContext().defaultParallelism();
        Path file = Passages.write(input, workDir.resolve("passages-" + passageWords + ".jsonl.gz"), passageWords);
        Dataset<Row> all = spark.read().json(file.toString()).select("id", "text");
        Lake bench = new Lake(spark, workDir.resolve("lake").toString());
        Dataset<Row> bucket = all.withColumn("_b", pmod(xxhash64(col("id")), org.apache.spark.sql.functions.lit(10)));
        String[][] sources = {{"src/a", "_b < 5"}, {"src/b", "_b >= 5 and _b < 8"}, {"src/c", "_b >= 8"}};
        double totalMb = 0;
        for (String[] s : sources) {
            bucket.where(s[1])
                    .drop("_b")
                    .repartition(cores)
                    .write()
                    .format("delta")
                    .mode("overwrite")
                    .save(bench.locate(s[0]).path());
            Row size = spark.read()
                    .format("delta")
                    .load(bench.locate(s[0]).path())
                    .selectExpr("count(*)", "sum(length(text))")
                    .first();
            out().printf("%s: %,d passages, %.1f MB%n", s[0], size.getLong(0), size.getLong(1) / 1e6);
            totalMb += size.getLong(1) / 1e6;
        }
        out().printf("cores (Spark default parallelism): %d; sources %.1f MB%n", cores, totalMb);
        String mixYaml = """
            name: bench-mix
            seed: 1
            stages:
              - stage: mix
                output: mixes/bench
                params:
                  sources:
                    - {table: src/a, weight: 0.5}
                    - {table: src/b, weight: 0.3}
                    - {table: src/c, weight: 0.2}
                  unit: chars
                  target_scale: 2
            """;
        if (processes) {
            out().println("machine: " + TimedProcess.cpu());
            wholeProcesses(
                    "mix",
                    mixYaml,
                    totalMb,
                    cores,
                    List.of(
                            TimedProcess.launcher(),
                            "bench-mix",
                            "--input",
                            input.toString(),
                            "--work-dir",
                            workDir.toString(),
                            "--plain-union-only"));
            decontamination(bench, file, cores);
            return;
        }
        for (int run = 1; run <= runs; run++) {
            long t0 = System.nanoTime();
            plainUnion(bench);
            double plain = (System.nanoTime() - t0) / 1e9;
            StringWriter log = new StringWriter();
            long t1 = System.nanoTime();
            new RecipeRunner(bench, new PrintWriter(log, true))
                    .run(RecipeLoader.parse("bench-mix", mixYaml, Map.of()), true);
            double mix = (System.nanoTime() - t1) / 1e9;
            Row out = spark.read()
                    .format("delta")
                    .load(bench.locate("mixes/bench").path())
                    .selectExpr("count(*)", "sum(length(text))")
                    .first();
            out().printf(
                            "run %d: plain read+write %.1f s (%.1f MB/s/core); mix %.1f s → %,d rows, %.1f MB (%.1f MB/s/core of input);"
                                    + " ratio %.2f%n",
                            run,
                            plain,
                            totalMb / plain / cores,
                            mix,
                            out.getLong(0),
                            out.getLong(1) / 1e6,
                            totalMb / mix / cores,
                            mix / plain);
            for (String line : log.toString().split("\n")) {
                if (line.contains("src/")) {
                    out().println("    " + line.strip());
                }
            }
            out().flush();
        }
        decontamination(bench, file, cores);
    }

    /** The peer: read the three sources and write all their rows as one Delta table. */
    private static void plainUnion(Lake bench) {
        Dataset<Row> union = null;
        for (String s : SOURCE_TABLES) {
            Dataset<Row> d =
                    bench.spark().read().format("delta").load(bench.locate(s).path());
            union = union == null ? d : union.unionByName(d);
        }
        union.write()
                .format("delta")
                .mode("overwrite")
                .save(bench.locate("plain/out").path());
    }

    /**
     * What a user pays: {@code bin/tokenmill run RECIPE --force} on the bench lake, under GNU time, alternating with
     * the peer's process when there is one; MB/s per core from the whole process's wall time.
     */
    private void wholeProcesses(String name, String yaml, double mb, int cores, List<String> peer) {
        TimedProcess.requireTime();
        Path recipe = workDir.resolve(name + ".yaml");
        try {
            Files.writeString(recipe, yaml);
            List<String> ours = List.of(
                    TimedProcess.launcher(),
                    "--lake",
                    workDir.resolve("lake").toString(),
                    "run",
                    recipe.toString(),
                    "--force");
            for (int run = 1; run <= runs; run++) {
                TimedProcess.Measured a = TimedProcess.run(ours, Map.of(), null);
                if (peer == null) {
                    out().printf(
                                    "%s run %d, whole process: bin/tokenmill run %s, %.1f MB = %.2f MB/s/core%n",
                                    name, run, a.describe(), mb, mb / a.wall() / cores);
                } else {
                    TimedProcess.Measured b = TimedProcess.run(peer, Map.of(), null);
                    out().printf(
                                    "%s run %d, whole processes: bin/tokenmill run %s | plain read + write %s | ratio wall %.2f, CPU %.2f, "
                                            + "RSS %.2f%n",
                                    name,
                                    run,
                                    a.describe(),
                                    b.describe(),
                                    a.wall() / b.wall(),
                                    a.cpu() / b.cpu(),
                                    (double) a.rssKb() / b.rssKb());
                }
                out().flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The eval set: every 40th passage not in src/a (other books' text) up to 1 MB, plus 20 passages of src/a. */
    private void decontamination(Lake bench, Path passages, int cores) {
        var spark = lake().spark();
        Path evalDir = workDir.resolve("eval");
        try {
            Files.createDirectories(evalDir);
            List<String> lines = new ArrayList<>();
            long bytes = 0;
            List<Row> others = spark.read()
                    .format("delta")
                    .load(bench.locate("src/b").path())
                    .select("text")
                    .collectAsList();
            for (int i = 0; i < others.size() && bytes < 1_000_000; i += 3) {
                String t = others.get(i).getString(0);
                lines.add(dev.tokenmill.jobs.util.Json.MAPPER
                        .createObjectNode()
                        .put("text", t)
                        .toString());
                bytes += t.getBytes(StandardCharsets.UTF_8).length;
            }
            for (Row r : spark.read()
                    .format("delta")
                    .load(bench.locate("src/a").path())
                    .select("text")
                    .limit(20)
                    .collectAsList()) {
                lines.add(dev.tokenmill.jobs.util.Json.MAPPER
                        .createObjectNode()
                        .put("text", r.getString(0))
                        .toString());
            }
            Files.write(evalDir.resolve("gutenberg-eval.jsonl"), lines, StandardCharsets.UTF_8);
            out().printf(
                            "evaluation set: %,d passages, %.2f MB%n",
                            lines.size(), Files.size(evalDir.resolve("gutenberg-eval.jsonl")) / 1e6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // all passages: a larger input shows the per-MB cost rather than the fixed cost of two Delta commits
        Dataset<Row> everything = null;
        for (String s : List.of("src/a", "src/b", "src/c")) {
            Dataset<Row> d = spark.read().format("delta").load(bench.locate(s).path());
            everything = everything == null ? d : everything.unionByName(d);
        }
        everything
                .write()
                .format("delta")
                .mode("overwrite")
                .save(bench.locate("src/all").path());
        double mb = spark.read()
                        .format("delta")
                        .load(bench.locate("src/all").path())
                        .selectExpr("sum(length(text))")
                        .first()
                        .getLong(0)
                / 1e6;
        String yaml = """
            name: bench-decontaminate
            stages:
              - stage: decontaminate
                input: src/all
                output: clean/all
                params: {eval: %s}
            """.formatted(evalDir);
        if (processes) {
            wholeProcesses("decontaminate", yaml, mb, cores, null);
            return;
        }
        for (int run = 1; run <= runs; run++) {
            StringWriter log = new StringWriter();
            long t0 = System.nanoTime();
            new RecipeRunner(bench, new PrintWriter(log, true))
                    .run(RecipeLoader.parse("bench-decontaminate", yaml, Map.of()), true);
            double s = (System.nanoTime() - t0) / 1e9;
            out().printf("decontaminate run %d: %.1f MB in %.1f s = %.2f MB/s/core%n", run, mb, s, mb / s / cores);
            for (String line : log.toString().split("\n")) {
                if (line.contains("kept") || line.contains("n-grams")) {
                    out().println("    " + line.strip());
                }
            }
            out().flush();
        }
    }
}
