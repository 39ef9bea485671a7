package dev.tokenmill.jobs.bench;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.cli.LakeCommand;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.recipe.Recipe;
import dev.tokenmill.jobs.recipe.RecipeLoader;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The quality benchmark: clean + filter(gopher_quality, gopher_repetition, c4, fineweb) on Gutenberg
 * passages, as the recipe runner runs them (two stages, two Delta commits each), vs a plain Spark read + write
 * of the same table in the same session. Reports MB of text per second per core and the ratio, then repeats on
 * 4× the input to show peak heap does not grow with it. {@code --processes}: the same as whole processes (what a user
 * pays), {@code bin/tokenmill run} against a plain-copy process under GNU time.
 */
@Command(
        name = "filter",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark: clean + filter (all presets) vs a plain Delta read+write, MB/s per core, 1× and 4× input.")
public final class BenchFilterCommand extends LakeCommand {
    @Option(names = "--input", required = true, description = "A JSONL(.gz) file of documents (Gutenberg books).")
    String input;

    @Option(names = "--work-dir", required = true, description = "Scratch folder.")
    Path workDir;

    @Option(
            names = "--passage-words",
            defaultValue = "2000",
            description = "Passage size in words (default ${DEFAULT-VALUE}).")
    int passageWords;

    @Option(names = "--runs", defaultValue = "2", description = "Timed runs per input size (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--bad-words",
            description = "C4's bad-word list (default conf/c4/bad-words-en.txt when fetched;"
                    + " 'none' leaves the rule out).")
    String badWordsFile;

    @Option(
            names = "--processes",
            description = "Whole processes instead: bin/tokenmill run of the fused clean + filter recipe "
                    + "against a process doing the plain read + write, each under GNU time, alternating.")
    boolean processes;

    @Option(
            names = "--plain-copy-of",
            hidden = true,
            description = "The peer's process: a plain read + write of this Delta " + "table into WORK_DIR.")
    String plainCopyOf;

    @Override
    public void run() {
        if (plainCopyOf != null) {
            lake().spark()
                    .read()
                    .format("delta")
                    .load(plainCopyOf)
                    .write()
                    .format("delta")
                    .mode("overwrite")
                    .save(workDir.toString());
            return;
        }
        if (!Files.exists(Path.of(input))) {
            throw new UserError("input " + input + " does not exist");
        }
        if (badWordsFile == null) {
            Path fetched = dev.tokenmill.jobs.cli.RunCommand.home().resolve("conf/c4/bad-words-en.txt");
            badWordsFile = Files.exists(fetched) ? fetched.toString() : "none";
        }
        if (!badWordsFile.equals("none") && !Files.exists(Path.of(badWordsFile))) {
            throw new UserError(
                    "bad-word list " + badWordsFile + " does not exist (conf/c4/fetch-bad-words fetches C4's)");
        }
        String badWordsParam = badWordsFile.equals("none")
                ? ""
                : "bad_words_file: " + Path.of(badWordsFile).toAbsolutePath();
        out().printf("C4 bad-word list: %s%n", badWordsFile);
        var spark = lake().spark();
        int cores = spark.sparkContext().defaultParallelism();
        out().printf("cores (Spark default parallelism): %d%n", cores);
        if (processes) {
            out().println("machine: " + TimedProcess.cpu());
        }
        for (int copies : new int[] {1, 4}) {
            Path file = Passages.write(
                    Path.of(input), workDir.resolve("passages-x" + copies + ".jsonl.gz"), passageWords, copies);
            if (copies == 1 && !processes) {
                kernelOnly(file);
            }
            // tables from an earlier invocation: start empty, so neither their history (log replay) nor the disk
            // they hold grows from one invocation to the next
            deleteTree(workDir.resolve("lake-x" + copies));
            deleteTree(workDir.resolve("plain-x" + copies));
            Lake benchLake = new Lake(spark, workDir.resolve("lake-x" + copies).toString());
            new RecipeRunner(benchLake, new java.io.PrintWriter(java.io.Writer.nullWriter()))
                    .runStep(Recipe.ingest("bench", file.toString(), "jsonl", "text", "id", null, false), 42, false);
            String raw = benchLake.locate("raw/bench").path();
            long chars = spark.read()
                    .format("delta")
                    .load(raw)
                    .selectExpr("sum(length(text))")
                    .first()
                    .getLong(0);
            double mb = chars / 1e6;
            if (processes) {
                wholeProcesses(copies, mb, raw, badWordsParam);
                continue;
            }
            var staged = RecipeLoader.parse("bench-filter", """
                name: bench-filter
                stages:
                  - stage: clean
                    input: raw/bench
                    output: clean/bench
                  - stage: filter
                    input: clean/bench
                    output: filtered/bench
                    params:
                      filters: [gopher_quality, gopher_repetition, c4, fineweb]
                      %s
                """.formatted(badWordsParam), Map.of());
            var fused = RecipeLoader.parse("bench-filter-fused", fusedRecipe(badWordsParam), Map.of());
            for (int i = -1; i < runs; i++) {
                long t0 = System.nanoTime();
                spark.read()
                        .format("delta")
                        .load(raw)
                        .write()
                        .format("delta")
                        .mode("overwrite")
                        .save(workDir.resolve("plain-x" + copies).toString());
                double plain = (System.nanoTime() - t0) / 1e9;
                String label = i < 0 ? "warm-up" : "run " + (i + 1);
                for (var recipe : java.util.List.of(staged, fused)) {
                    HeapPeaks.reset();
                    t0 = System.nanoTime();
                    new RecipeRunner(benchLake, new PrintWriter(new StringWriter())).run(recipe, true);
                    double ours = (System.nanoTime() - t0) / 1e9;
                    out().printf(
                                    "%dx %-7s %.1f MB text: plain read+write %.2f s | %-14s %.2f s = %.2f MB/s/core,"
                                            + " ratio %.2f, peak heap %d MB (live after GC %d MB)%n",
                                    copies,
                                    label,
                                    mb,
                                    plain,
                                    recipe == staged ? "clean, filter" : "fused",
                                    ours,
                                    mb / ours / cores,
                                    ours / plain,
                                    HeapPeaks.peakMb(),
                                    HeapPeaks.livePeakMb());
                    out().flush();
                }
            }
        }
    }

    /**
     * What a user pays: {@code bin/tokenmill run} of the fused clean + filter recipe against a process that only reads
     * and writes the same raw table, both started the same way (JVM, Spark session, Delta), alternating.
     */
    private void wholeProcesses(int copies, double mb, String raw, String badWordsParam) {
        TimedProcess.requireTime();
        String launcher = TimedProcess.launcher();
        Path recipe = workDir.resolve("fused-x" + copies + ".yaml");
        Path plainDir = workDir.resolve("plain-x" + copies);
        try {
            Files.writeString(recipe, fusedRecipe(badWordsParam));
            java.util.List<String> ours = java.util.List.of(
                    launcher,
                    "--lake",
                    workDir.resolve("lake-x" + copies).toString(),
                    "run",
                    recipe.toString(),
                    "--force");
            java.util.List<String> plain = java.util.List.of(
                    launcher,
                    "bench",
                    "filter",
                    "--input",
                    input,
                    "--work-dir",
                    plainDir.toString(),
                    "--plain-copy-of",
                    raw);
            for (int i = 1; i <= runs; i++) {
                TimedProcess.Measured a = TimedProcess.run(ours, Map.of(), null);
                TimedProcess.Measured b = TimedProcess.run(plain, Map.of(), null);
                out().printf(
                                "%dx run %d, %.1f MB text, whole processes: bin/tokenmill run (clean + 4 filters, fused) %s | plain "
                                        + "Delta read + write %s | ratio wall %.2f, CPU %.2f, RSS %.2f%n",
                                copies,
                                i,
                                mb,
                                a.describe(),
                                b.describe(),
                                a.wall() / b.wall(),
                                a.cpu() / b.cpu(),
                                (double) a.rssKb() / b.rssKb());
                out().flush();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The clean + filter recipe as one fused stage (one read, one write), all four presets. */
    private static String fusedRecipe(String badWordsParam) {
        return """
            name: bench-filter-fused
            stages:
              - stage: fused
                input: raw/bench
                output: fused/bench
                params:
                  stages:
                    - stage: clean
                    - stage: filter
                      params:
                        filters: [gopher_quality, gopher_repetition, c4, fineweb]
                        %s
            """.formatted(badWordsParam);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new UserError("cannot clear " + dir + ": " + e.getMessage());
        }
    }

    private java.util.Set<String> badWords() {
        if (badWordsFile.equals("none")) {
            return java.util.Set.of();
        }
        try {
            java.util.Set<String> words = new java.util.TreeSet<>();
            for (String line : Files.readAllLines(Path.of(badWordsFile))) {
                if (!line.isBlank()) {
                    words.add(line.strip().toLowerCase(java.util.Locale.ROOT));
                }
            }
            return words;
        } catch (java.io.IOException e) {
            throw new UserError("cannot read " + badWordsFile + ": " + e.getMessage());
        }
    }

    /** The same clean + filter kernels on one thread, no Spark: the ceiling the stages could reach per core. */
    private void kernelOnly(Path file) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(file)),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                texts.add(dev.tokenmill.jobs.util.Json.read(line).path("text").asText());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long chars = texts.stream().mapToLong(String::length).sum();
        var cleaner =
                new dev.tokenmill.quality.clean.TextCleaner(dev.tokenmill.quality.clean.TextCleaner.Options.defaults());
        var filters = new dev.tokenmill.quality.filter.Filters(
                        java.util.List.of("gopher_quality", "gopher_repetition", "c4", "fineweb"), Map.of(), badWords())
                .build();
        double[] signals = new double[64];
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            int kept = 0;
            for (String t : texts) {
                String text = cleaner.clean(t, new dev.tokenmill.quality.clean.TextCleaner.Report());
                boolean ok = true;
                int offset = 0;
                for (var f : filters) {
                    var o = f.evaluate(text, signals, offset);
                    offset += f.signals().size();
                    if (!o.kept()) {
                        ok = false;
                        break;
                    }
                    text = o.text();
                }
                kept += ok ? 1 : 0;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            out().printf(
                            "kernels only, one thread, run %d: %.1f MB in %.2f s = %.1f MB/s (%d of %d kept)%n",
                            run + 1, chars / 1e6, s, chars / 1e6 / s, kept, texts.size());
            out().flush();
        }
    }
}
