package dev.tokenmill.jobs.bench;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.cli.LakeCommand;
import dev.tokenmill.jobs.recipe.Recipe;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ingest benchmark: our ingest of a JSONL file vs a plain {@code spark.read().json(f).write().format("delta")}
 * of the same file, alternating in one SparkSession, after one warm-up of each (in-JVM); or, with
 * {@code --processes}, the {@code bin/tokenmill ingest} process against a process that only does the plain copy,
 * both under GNU time (what a user pays). Prints each run and the median ratio.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Benchmark: tokenmill ingest vs a plain Spark JSON→Delta copy of the same file (same session).")
public final class BenchIngestCommand extends LakeCommand {
    @Option(names = "--input", required = true, description = "A JSONL(.gz) file.")
    String input;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--work-dir", required = true, description = "Scratch folder for the tables (deleted per run).")
    Path workDir;

    @Option(
            names = "--passage-words",
            defaultValue = "0",
            description = "If > 0, first split each document's text into passages of about this many words (written to"
                    + " WORK_DIR/passages.jsonl.gz) and benchmark on that file.")
    int passageWords;

    @Option(
            names = "--processes",
            description =
                    "Whole processes instead: bin/tokenmill ingest against a process doing the "
                            + "plain copy (through the same launcher, its own Spark session), each under GNU time, alternating.")
    boolean processes;

    @Option(
            names = "--plain-copy-only",
            hidden = true,
            description = "The peer's process: one plain copy into WORK_DIR/plain.")
    boolean plainCopyOnly;

    @Override
    public void run() {
        if (!Files.exists(Path.of(input))) {
            throw new UserError("input " + input + " does not exist");
        }
        if (plainCopyOnly) {
            lake().spark()
                    .read()
                    .json(input)
                    .write()
                    .format("delta")
                    .mode("overwrite")
                    .save(workDir.resolve("plain").toString());
            return;
        }
        if (passageWords > 0) {
            input = Passages.write(Path.of(input), workDir.resolve("passages.jsonl.gz"), passageWords)
                    .toString();
            out().println("benchmark input: " + input);
        }
        if (processes) {
            wholeProcesses();
            return;
        }
        var spark = lake().spark();
        List<Double> plain = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        for (int i = -1; i < runs; i++) {
            Path plainDir = workDir.resolve("plain");
            Path oursLake = workDir.resolve("lake");
            delete(plainDir);
            delete(oursLake);
            long t0 = System.nanoTime();
            spark.read().json(input).write().format("delta").mode("overwrite").save(plainDir.toString());
            double p = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            var lake = new dev.tokenmill.jobs.lake.Lake(spark, oursLake.toString());
            new RecipeRunner(lake, new java.io.PrintWriter(java.io.Writer.nullWriter()))
                    .runStep(Recipe.ingest("bench", input, "jsonl", "text", null, null, false), 42, true);
            var r = lake.latestLineage(lake.locate("raw/bench"));
            double o = (System.nanoTime() - t0) / 1e9;
            String label = i < 0 ? "warm-up" : "run " + (i + 1);
            out().printf(
                            "%-8s plain spark json→delta %.2f s   tokenmill ingest %.2f s (%,d docs, %,d quarantined)   ratio %.2f%n",
                            label, p, o, r.rowsOut(), r.rowsRejected(), o / p);
            out().flush();
            if (i >= 0) {
                plain.add(p);
                ours.add(o);
            }
        }
        double mp = median(plain);
        double mo = median(ours);
        out().printf("median   plain %.2f s   tokenmill %.2f s   ratio %.2f (target ≤ 1.30)%n", mp, mo, mo / mp);
        out().flush();
    }

    /** What a user pays: the ingest command against a process that only copies, both started the same way. */
    private void wholeProcesses() {
        TimedProcess.requireTime();
        out().println("machine: " + TimedProcess.cpu());
        String launcher = TimedProcess.launcher();
        Path oursLake = workDir.resolve("lake");
        List<String> ours = List.of(
                launcher,
                "--lake",
                oursLake.toString(),
                "ingest",
                "--source",
                "bench",
                "--input",
                input,
                "--format",
                "jsonl");
        List<String> plain = List.of(
                launcher, "bench", "ingest", "--plain-copy-only", "--input", input, "--work-dir", workDir.toString());
        List<Double> ratios = new ArrayList<>();
        try {
            for (int i = 1; i <= runs; i++) {
                delete(workDir.resolve("plain"));
                delete(oursLake);
                TimedProcess.Measured a = TimedProcess.run(ours, java.util.Map.of(), null);
                TimedProcess.Measured b = TimedProcess.run(plain, java.util.Map.of(), null);
                out().printf(
                                "run %d, whole processes: bin/tokenmill ingest %s | plain Spark JSON→Delta copy %s | ratio wall %.2f, "
                                        + "CPU %.2f, RSS %.2f%n",
                                i,
                                a.describe(),
                                b.describe(),
                                a.wall() / b.wall(),
                                a.cpu() / b.cpu(),
                                (double) a.rssKb() / b.rssKb());
                out().flush();
                ratios.add(a.wall() / b.wall());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out().printf("median wall ratio %.2f (target ≤ 1.30)%n", median(ratios));
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
