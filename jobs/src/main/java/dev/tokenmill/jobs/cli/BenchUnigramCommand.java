package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.tokenizer.bpe.WordCounter;
import dev.tokenmill.tokenizer.unigram.SentencePieceModel;
import dev.tokenmill.tokenizer.unigram.SpmNormalizer;
import dev.tokenmill.tokenizer.unigram.UnigramJson;
import dev.tokenmill.tokenizer.unigram.UnigramModel;
import dev.tokenmill.tokenizer.unigram.UnigramTrainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Unigram training against SentencePiece's {@code spm_train --model_type=unigram} on the same corpus in the same
 * run, at each vocabulary size: both as child processes under GNU time (user + system CPU seconds, peak RSS),
 * same settings (byte fallback, character coverage 0.9995, NFKC-style normalisation, all cores). Then held-out
 * compression: both trained on 19 of 20 books, the 20th books encoded line by line (ours in process, spm_encode).
 */
@Command(name = "bench-unigram", mixinStandardHelpOptions = true,
    description = "Benchmark: Unigram training (time, peak memory, held-out compression) vs SentencePiece's spm_train.")
public final class BenchUnigramCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "Gutenberg JSONL(.gz) books.")
    Path input;

    @Option(names = "--work-dir", required = true, description = "Scratch folder (corpus files, trained models).")
    Path workDir;

    @Option(names = "--vocab-sizes", split = ",", defaultValue = "8000,32000", description = "Vocabulary sizes (default ${DEFAULT-VALUE}).")
    List<Integer> vocabSizes;

    @Option(names = "--heap", defaultValue = "2g", description = "-Xmx of our training JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public void run() {
        if (!Files.exists(input)) {
            throw new UserError("input " + input + " does not exist");
        }
        for (String tool : List.of("/usr/bin/time", "/usr/bin/spm_train", "/usr/bin/spm_encode")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new UserError(tool + " is missing (apt-get install time sentencepiece)");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            Path corpus = GutenbergCorpus.prepare(input, workDir);
            out.printf("corpus: %s, %.1f MB, %d cores%n", corpus, Files.size(corpus) / 1e6, cores);
            out.flush();
            for (int vocab : vocabSizes) {
                Path ours = workDir.resolve("tokenmill-unigram-" + vocab);
                Measured us = measure(List.of(javaBin(), "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                    Child.class.getName(), corpus.toString(), String.valueOf(vocab), ours.toString()));
                Path spmPrefix = workDir.resolve("spm-unigram-" + vocab);
                Measured spm = measure(spmTrain(corpus, spmPrefix, vocab, cores));
                out.printf("vocab %,d: tokenmill CPU %.1f s, wall %.1f s, peak RSS %,d MB | spm_train CPU %.1f s, wall %.1f s,"
                        + " peak RSS %,d MB | ratio CPU %.2f, wall %.2f, memory %.2f%n", vocab, us.cpu(), us.wall(),
                    us.rssKb() / 1024, spm.cpu(), spm.wall(), spm.rssKb() / 1024, us.cpu() / spm.cpu(), us.wall() / spm.wall(),
                    (double) us.rssKb() / spm.rssKb());
                out.flush();
            }
            int vocab = vocabSizes.get(0);
            Path train = workDir.resolve("gutenberg-train95.txt");
            Path heldOut = workDir.resolve("gutenberg-heldout.txt");
            Path ours = workDir.resolve("tokenmill-unigram-95-" + vocab);
            measure(List.of(javaBin(), "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), train.toString(), String.valueOf(vocab), ours.toString()));
            Path spmPrefix = workDir.resolve("spm-unigram-95-" + vocab);
            measure(spmTrain(train, spmPrefix, vocab, cores));
            long bytes = 0;
            long oursTokens = 0;
            UnigramModel model = SentencePieceModel.read(ours.resolve("tokenizer.model"));
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(heldOut, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(line);
                    bytes += line.getBytes(StandardCharsets.UTF_8).length;
                    oursTokens += model.encode(line).length;
                }
            }
            Path nonBlank = workDir.resolve("gutenberg-heldout-lines.txt");
            Files.write(nonBlank, lines, StandardCharsets.UTF_8);
            long spmTokens = spmTokenCount(spmPrefix + ".model", nonBlank);
            double a = bytes / (double) oursTokens;
            double b = bytes / (double) spmTokens;
            out.printf("held-out compression (vocab %,d, %,d lines, %.1f MB): tokenmill %.4f bytes/token (%,d tokens),"
                + " spm %.4f (%,d tokens): difference %+.2f %%%n", vocab, lines.size(), bytes / 1e6, a, oursTokens, b,
                spmTokens, 100 * (a - b) / b);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> spmTrain(Path corpus, Path prefix, int vocab, int threads) {
        return List.of("/usr/bin/spm_train", "--input=" + corpus, "--model_prefix=" + prefix, "--model_type=unigram",
            "--vocab_size=" + vocab, "--byte_fallback=true", "--character_coverage=0.9995", "--num_threads=" + threads,
            "--minloglevel=1");
    }

    private static long spmTokenCount(String model, Path lines) throws IOException {
        Process p = new ProcessBuilder("/usr/bin/spm_encode", "--model=" + model, "--output_format=id")
            .redirectInput(lines.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long tokens = 0;
        try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                tokens += line.isBlank() ? 0 : line.trim().split(" ").length;
            }
        }
        waitFor(p, "spm_encode");
        return tokens;
    }

    record Measured(double cpu, double wall, long rssKb) {
    }

    /** Runs a command under GNU time; its last stderr line carries user, system, elapsed seconds and max RSS. */
    static Measured measure(List<String> command) throws IOException {
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIMED %U %S %e %M"));
        timed.addAll(command);
        Process p = new ProcessBuilder(timed).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String last = null;
        StringBuilder err = new StringBuilder();
        try (BufferedReader r = p.errorReader(StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("TIMED ")) {
                    last = line;
                } else if (err.length() < 4000) {
                    err.append(line).append('\n');
                }
            }
        }
        waitFor(p, command.get(0));
        if (last == null) {
            throw new UserError("no timing from " + command.get(0) + ": " + err);
        }
        String[] f = last.split(" ");
        return new Measured(Double.parseDouble(f[1]) + Double.parseDouble(f[2]), Double.parseDouble(f[3]), Long.parseLong(f[4]));
    }

    private static void waitFor(Process p, String what) {
        try {
            if (p.waitFor() != 0) {
                throw new UserError(what + " failed with exit code " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    /** Our side, in a JVM of its own: count words (all cores), train, write tokenizer.json and tokenizer.model. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws IOException {
            Path corpus = Path.of(args[0]);
            int vocab = Integer.parseInt(args[1]);
            Path out = Path.of(args[2]);
            int threads = Runtime.getRuntime().availableProcessors();
            SpmNormalizer normalizer = SpmNormalizer.of("nfkc", true, true);
            Map<String, Long> words;
            try (BufferedReader in = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
                words = WordCounter.count(in, block -> UnigramTrainer.countWords(block, normalizer), threads);
            }
            UnigramModel model = UnigramTrainer.train(words, UnigramTrainer.Options.defaults(vocab).withThreads(threads),
                System.err::println);
            Files.createDirectories(out);
            SentencePieceModel.write(model, out.resolve("tokenizer.model"));
            Files.writeString(out.resolve("tokenizer.json"), UnigramJson.toJson(model));
        }
    }
}
