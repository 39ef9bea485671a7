package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.ingest.IngestJob;
import dev.tokenmill.jobs.recipe.IngestCli;
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
 * of the same file, alternating in one SparkSession, after one warm-up of each. Prints medians and the ratio.
 */
@Command(name = "bench-ingest", mixinStandardHelpOptions = true,
    description = "Benchmark: tokenmill ingest vs a plain Spark JSON→Delta copy of the same file (same session).")
public final class BenchIngestCommand extends LakeCommand {
    @Option(names = "--input", required = true, description = "A JSONL(.gz) file.")
    String input;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--work-dir", required = true, description = "Scratch folder for the tables (deleted per run).")
    Path workDir;

    @Option(names = "--passage-words", defaultValue = "0",
        description = "If > 0, first split each document's text into passages of about this many words (written to"
            + " WORK_DIR/passages.jsonl.gz) and benchmark on that file.")
    int passageWords;

    @Override
    public void run() {
        if (!Files.exists(Path.of(input))) {
            throw new UserError("input " + input + " does not exist");
        }
        if (passageWords > 0) {
            input = Passages.write(Path.of(input), workDir.resolve("passages.jsonl.gz"), passageWords).toString();
            out().println("benchmark input: " + input);
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
            IngestJob.Result r = new IngestJob(new dev.tokenmill.jobs.lake.Lake(spark, oursLake.toString()))
                .run(IngestCli.options("bench", input, "jsonl", "text", null, null, false), true, null, null);
            double o = (System.nanoTime() - t0) / 1e9;
            String label = i < 0 ? "warm-up" : "run " + (i + 1);
            out().printf("%-8s plain spark json→delta %.2f s   tokenmill ingest %.2f s (%,d docs, %,d quarantined)   ratio %.2f%n",
                label, p, o, r.added(), r.quarantined(), o / p);
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
