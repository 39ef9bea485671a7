package dev.tokenmill.jobs.bench;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.tokenizer.TextTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Encoding throughput of a trained tokenizer (BPE or Unigram) against the anchors on the same lines in the same
 * run: ours on all cores (lines split across threads), DJL's HuggingFaceTokenizer reading the same tokenizer.json
 * ({@code batchEncode}, HF's Rust thread pool on all cores) and, when the folder has a SentencePiece
 * {@code tokenizer.model}, {@code spm_encode} (one process, as shipped). Each side runs once to warm up and is
 * then timed; the ids are compared line by line so the throughput is for the same output.
 */
@Command(
        name = "encode",
        mixinStandardHelpOptions = true,
        description = "Benchmark: encoding throughput vs DJL's HuggingFaceTokenizer and spm_encode.")
public final class BenchEncodeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--tokenizer",
            required = true,
            description = "A folder with tokenizer.json (and tokenizer.model for Unigram).")
    Path tokenizerDir;

    @Option(names = "--text", required = true, description = "A text file; its non-blank lines are encoded.")
    Path text;

    @Option(
            names = "--max-mb",
            defaultValue = "20",
            description = "Read at most this many MB of lines (default ${DEFAULT-VALUE}).")
    double maxMb;

    @Option(
            names = "--runs",
            defaultValue = "2",
            description =
                    "Timed whole-process runs of each side vs spm_encode, alternating (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--batch",
            defaultValue = "1024",
            description = "Lines per DJL batchEncode call (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public void run() {
        Path json = tokenizerDir.resolve("tokenizer.json");
        if (!Files.exists(json) || !Files.exists(text)) {
            throw new UserError("need " + json + " and " + text);
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            List<String> lines = new ArrayList<>();
            long bytes = 0;
            try (BufferedReader r = Files.newBufferedReader(text, StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null && bytes < maxMb * 1e6; ) {
                    if (!line.isBlank()) {
                        lines.add(line);
                        bytes += line.getBytes(StandardCharsets.UTF_8).length;
                    }
                }
            }
            double mb = bytes / 1e6;
            int cores = Runtime.getRuntime().availableProcessors();
            out.printf("%,d lines, %.1f MB, %d cores, tokenizer %s%n", lines.size(), mb, cores, json);
            TextTokenizer ours = TextTokenizer.parseJson(Files.readString(json), json.toString());
            encodeOurs(ours, lines, cores);
            Timed us = time(() -> encodeOurs(ours, lines, cores));
            out.printf(
                    "in-JVM, after a warm-up: tokenmill %.1f MB/s (wall %.2f s, CPU %.2f s, %.1f MB per CPU-s), %,d tokens%n",
                    mb / us.wall(), us.wall(), us.cpu(), mb / us.cpu(), us.tokens());
            out.flush();
            if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
                System.setProperty(
                        "DJL_CACHE_DIR",
                        Path.of(System.getProperty("java.io.tmpdir"), "tokenmill-djl")
                                .toString());
            }
            try (DjlPeer hf = new DjlPeer(json, batch)) {
                hf.encode(lines, null);
                List<long[]> theirIds = new ArrayList<>(lines.size());
                Timed djl = time(() -> hf.encode(lines, theirIds));
                out.printf(
                        "in-JVM, after a warm-up: DJL HuggingFaceTokenizer %.1f MB/s (wall %.2f s, CPU %.2f s, %.1f MB per CPU-s), %,d tokens%n",
                        mb / djl.wall(), djl.wall(), djl.cpu(), mb / djl.cpu(), djl.tokens());
                out.printf(
                        "ratio tokenmill / DJL: throughput %.2f×, per CPU-s %.2f×; lines with different ids: %,d%n",
                        djl.wall() / us.wall(), djl.cpu() / us.cpu(), differing(ours, lines, theirIds));
                out.flush();
            }
            // whole processes, as a user runs them: bin/tokenmill encode and spm_encode over the same lines file
            Path model = tokenizerDir.resolve("tokenizer.model");
            if (Files.exists(model)
                    && Files.isExecutable(Path.of("/usr/bin/spm_encode"))
                    && Files.isExecutable(Path.of(TimedProcess.TIME))) {
                Path linesFile = Files.createTempFile("bench-encode", ".txt");
                Path oursIds = Files.createTempFile("bench-encode-ours", ".ids");
                Path spmIds = Files.createTempFile("bench-encode-spm", ".ids");
                try {
                    Files.write(linesFile, lines, StandardCharsets.UTF_8);
                    List<String> oursCommand = List.of(
                            TimedProcess.launcher(),
                            "encode",
                            "--tokenizer",
                            tokenizerDir.toString(),
                            "--input",
                            linesFile.toString(),
                            "--output",
                            oursIds.toString());
                    List<String> spmCommand = List.of(
                            "/usr/bin/spm_encode",
                            "--model=" + model,
                            "--output_format=id",
                            "--input=" + linesFile,
                            "--output=" + spmIds);
                    for (int run = 1; run <= runs; run++) {
                        TimedProcess.Measured a = TimedProcess.run(oursCommand, java.util.Map.of(), null);
                        TimedProcess.Measured b = TimedProcess.run(spmCommand, java.util.Map.of(), null);
                        out.printf(
                                "run %d, whole processes: bin/tokenmill encode %.1f MB/s (%s, %.2f MB per CPU-s) | spm_encode "
                                        + "%.1f MB/s (%s, %.2f MB per CPU-s) | ratio per CPU-s %.2f×, wall %.2f×%n",
                                run,
                                mb / a.wall(),
                                a.describe(),
                                mb / a.cpu(),
                                mb / b.wall(),
                                b.describe(),
                                mb / b.cpu(),
                                b.cpu() / a.cpu(),
                                b.wall() / a.wall());
                        out.flush();
                    }
                    out.printf(
                            "lines whose ids differ between bin/tokenmill encode and spm_encode: %,d%n",
                            differingLines(oursIds, spmIds));
                } finally {
                    Files.deleteIfExists(linesFile);
                    Files.deleteIfExists(oursIds);
                    Files.deleteIfExists(spmIds);
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Timed(double wall, double cpu, long tokens) {}

    private static Timed time(java.util.function.LongSupplier work) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long tokens = work.getAsLong();
        return new Timed((System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e9, tokens);
    }

    private static long encodeOurs(TextTokenizer t, List<String> lines, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            int chunk = 4096;
            for (int from = 0; from < lines.size(); from += chunk) {
                List<String> slice = lines.subList(from, Math.min(lines.size(), from + chunk));
                parts.add(pool.submit(() -> {
                    long n = 0;
                    for (String l : slice) {
                        n += t.encode(l).length;
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : parts) {
                total += f.get();
            }
            return total;
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("encoding failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long differing(TextTokenizer ours, List<String> lines, List<long[]> theirs) {
        long n = 0;
        for (int i = 0; i < lines.size(); i++) {
            int[] a = ours.encode(lines.get(i));
            long[] b = theirs.get(i);
            boolean same = a.length == b.length;
            for (int k = 0; same && k < a.length; k++) {
                same = a[k] == b[k];
            }
            n += same ? 0 : 1;
        }
        return n;
    }

    private static long differingLines(Path a, Path b) throws IOException {
        List<String> x = Files.readAllLines(a, StandardCharsets.UTF_8);
        List<String> y = Files.readAllLines(b, StandardCharsets.UTF_8);
        long n = Math.abs(x.size() - y.size());
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            n += x.get(i).strip().equals(y.get(i).strip()) ? 0 : 1;
        }
        return n;
    }
}
