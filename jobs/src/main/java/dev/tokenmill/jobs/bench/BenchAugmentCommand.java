package dev.tokenmill.jobs.bench;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.cli.LakeCommand;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.recipe.RecipeLoader;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code augment} throughput on Gutenberg passages against a plain copy in the same run: a typical op mix (EDA's
 * synonym replacement, swap and deletion, typos, OCR confusions, sentence shuffle, span masking; one copy of every
 * row) against a {@code normalize} step with every rule off (a read and a write of the same rows), alternating, MB
 * of input per second per core. {@code --processes}: both as whole {@code bin/tokenmill run} processes under GNU
 * time, what a user pays.
 */
@Command(
        name = "augment",
        mixinStandardHelpOptions = true,
        description = "Benchmark: the augment stage (a typical op mix, one copy per row) vs a plain copy, MB/s/core.")
public final class BenchAugmentCommand extends LakeCommand {
    @Option(names = "--input", required = true, description = "Gutenberg JSONL(.gz) books.")
    Path input;

    @Option(names = "--work-dir", required = true, description = "Scratch folder.")
    Path workDir;

    @Option(names = "--passage-words", defaultValue = "500", description = "Passage size (default ${DEFAULT-VALUE}).")
    int passageWords;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each side (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--processes", description = "Whole bin/tokenmill processes under GNU time, alternating.")
    boolean processes;

    @Option(
            names = "--wordnet",
            defaultValue = "/usr/share/wordnet",
            description =
                    "WordNet folder for the synonym op (default ${DEFAULT-VALUE}); without it the mix has no synonym op.")
    Path wordnet;

    @Override
    public void run() {
        if (!Files.exists(input)) {
            throw new UserError("input " + input + " does not exist");
        }
        var spark = lake().spark();
        int cores = spark.sparkContext().defaultParallelism();
        Path file = Passages.write(input, workDir.resolve("passages-" + passageWords + ".jsonl.gz"), passageWords);
        Lake bench = new Lake(spark, workDir.resolve("lake").toString());
        spark.read()
                .json(file.toString())
                .select("id", "text")
                .repartition(cores)
                .write()
                .format("delta")
                .mode("overwrite")
                .save(bench.locate("src/passages").path());
        Row size = spark.read()
                .format("delta")
                .load(bench.locate("src/passages").path())
                .selectExpr("count(*)", "sum(octet_length(text))")
                .first();
        double mb = size.getLong(1) / 1e6;
        boolean synonyms = Files.isRegularFile(wordnet.resolve("data.noun"));
        out().printf(
                        "input: %,d passages, %.1f MB; cores (Spark default parallelism): %d; synonym op %s%n",
                        size.getLong(0),
                        mb,
                        cores,
                        synonyms ? "on (" + wordnet + ")" : "off (no WordNet at " + wordnet + ")");
        String augment = String.join(
                "\n",
                "name: bench-augment",
                "seed: 1",
                "stages:",
                "  - stage: augment",
                "    input: src/passages",
                "    output: aug/passages",
                "    params:",
                "      copies: 1",
                synonyms ? "      wordnet: " + wordnet : "",
                "      ops:",
                synonyms ? "        - {op: synonym, p: 0.5, strength: 0.1}" : "",
                "        - {op: swap, p: 0.5, strength: 0.05}",
                "        - {op: delete, p: 0.5, strength: 0.05}",
                "        - {op: typo, p: 0.5, strength: 0.01}",
                "        - {op: ocr, p: 0.2, strength: 0.05}",
                "        - {op: sentence_shuffle, p: 0.3}",
                "        - {op: mask, p: 0.3, strength: 0.1}",
                "");
        String copy = """
            name: bench-copy
            stages:
              - stage: normalize
                input: src/passages
                output: copy/passages
                params: {form: NONE, collapse_whitespace: false, max_blank_lines: -1, strip_control: false}
            """;
        if (processes) {
            TimedProcess.requireTime();
            out().println("machine: " + TimedProcess.cpu());
            Path a = write("augment.yaml", augment);
            Path b = write("copy.yaml", copy);
            for (int run = 1; run <= runs; run++) {
                TimedProcess.Measured aug = process(a);
                TimedProcess.Measured plain = process(b);
                out().printf(
                                "run %d, whole processes: augment %s = %.2f MB/s/core | plain copy %s = %.2f MB/s/core | ratio "
                                        + "wall %.2f, CPU %.2f, RSS %.2f%n",
                                run,
                                aug.describe(),
                                mb / aug.wall() / cores,
                                plain.describe(),
                                mb / plain.wall() / cores,
                                aug.wall() / plain.wall(),
                                aug.cpu() / plain.cpu(),
                                (double) aug.rssKb() / plain.rssKb());
                out().flush();
            }
            return;
        }
        for (int run = 1; run <= runs; run++) {
            // alternate which side runs first, so neither always pays the warm-up
            boolean augmentFirst = run % 2 == 1;
            double first = timed(bench, augmentFirst ? augment : copy);
            double second = timed(bench, augmentFirst ? copy : augment);
            double aug = augmentFirst ? first : second;
            double plain = augmentFirst ? second : first;
            Row out = spark.read()
                    .format("delta")
                    .load(bench.locate("aug/passages").path())
                    .selectExpr("count(*)", "sum(octet_length(text))")
                    .first();
            out().printf(
                            "run %d (%s first): augment %.1f s = %.2f MB/s/core of input (%,d rows, %.1f MB out); plain copy "
                                    + "%.1f s = %.2f MB/s/core; ratio %.2f%n",
                            run,
                            augmentFirst ? "augment" : "copy",
                            aug,
                            mb / aug / cores,
                            out.getLong(0),
                            out.getLong(1) / 1e6,
                            plain,
                            mb / plain / cores,
                            aug / plain);
            out().flush();
        }
    }

    private static double timed(Lake bench, String yaml) {
        long t0 = System.nanoTime();
        new RecipeRunner(bench, new PrintWriter(new StringWriter(), true))
                .run(RecipeLoader.parse("bench", yaml, Map.of()), true);
        return (System.nanoTime() - t0) / 1e9;
    }

    private TimedProcess.Measured process(Path recipe) {
        try {
            return TimedProcess.run(
                    List.of(
                            TimedProcess.launcher(),
                            "--lake",
                            workDir.resolve("lake").toString(),
                            "run",
                            recipe.toString(),
                            "--force"),
                    Map.of(),
                    null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(String name, String yaml) {
        try {
            return Files.writeString(workDir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
