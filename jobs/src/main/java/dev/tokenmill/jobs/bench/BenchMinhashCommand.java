package dev.tokenmill.jobs.bench;

import dev.tokenmill.dedup.minhash.LshParams;
import dev.tokenmill.dedup.minhash.MinHasher;
import dev.tokenmill.dedup.minhash.Shingler;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The MinHash signature kernel alone, one thread: shingle + signature throughput, and the LSH parameter choice. */
@Command(
        name = "minhash",
        mixinStandardHelpOptions = true,
        description = "Benchmark: MinHash shingling + signatures on one thread (MB/s, docs/s) on Gutenberg passages.")
public final class BenchMinhashCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "A JSONL(.gz) file of documents (Gutenberg books).")
    Path input;

    @Option(names = "--work-dir", required = true, description = "Scratch folder.")
    Path workDir;

    @Option(
            names = "--passage-words",
            defaultValue = "2000",
            description = "Passage size in words (default ${DEFAULT-VALUE}).")
    int passageWords;

    @Option(names = "--ngram", defaultValue = "5", description = "Word shingle size (default ${DEFAULT-VALUE}).")
    int ngram;

    @Override
    public void run() {
        if (!Files.exists(input)) {
            throw new UserError("input " + input + " does not exist");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path file = Passages.write(input, workDir.resolve("passages-x1.jsonl.gz"), passageWords, 1);
        List<String> docs = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                docs.add(Json.read(line).path("text").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long chars = docs.stream().mapToLong(String::length).sum();
        for (int numPerm : new int[] {128, 256}) {
            MinHasher hasher = new MinHasher(numPerm, 42);
            Shingler shingler = new Shingler(Shingler.Unit.WORD, ngram, 42);
            long[] signature = new long[numPerm];
            for (int run = 1; run <= 3; run++) {
                long t0 = System.nanoTime();
                long shingles = 0;
                for (String d : docs) {
                    shingler.shingle(d);
                    hasher.signature(shingler.hashes(), shingler.count(), signature);
                    shingles += shingler.count();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                out.printf(
                        "num_perm %d, word %d-grams, run %d: %.1f MB, %,d docs, %,d shingles in %.2f s = %.1f MB/s, %.0f docs/s%n",
                        numPerm, ngram, run, chars / 1e6, docs.size(), shingles, s, chars / 1e6 / s, docs.size() / s);
                out.flush();
            }
        }
        for (double t : new double[] {0.5, 0.7, 0.8}) {
            for (int numPerm : new int[] {128, 256}) {
                out.printf("threshold %.1f, num_perm %d: %s%n", t, numPerm, LshParams.optimal(t, numPerm, 0.5, 0.5));
            }
        }
        out.flush();
    }
}
