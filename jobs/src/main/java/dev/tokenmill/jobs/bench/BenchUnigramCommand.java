package dev.tokenmill.jobs.bench;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.tokenizer.unigram.SentencePieceModel;
import dev.tokenmill.tokenizer.unigram.UnigramModel;
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
 * run, at each vocabulary size: both as whole processes under GNU time (user + system CPU seconds, peak RSS) —
 * {@code bin/tokenmill train-tokenizer --type unigram --text-file} and {@code spm_train} —
 * same settings (byte fallback, character coverage 0.9995, NFKC-style normalisation, all cores). Then held-out
 * compression: both trained on 19 of 20 books, the 20th books encoded line by line (ours in process, spm_encode).
 */
@Command(
        name = "unigram",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark: Unigram training (time, peak memory, held-out compression) vs SentencePiece's spm_train.")
public final class BenchUnigramCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "Gutenberg JSONL(.gz) books.")
    Path input;

    @Option(names = "--work-dir", required = true, description = "Scratch folder (corpus files, trained models).")
    Path workDir;

    @Option(
            names = "--vocab-sizes",
            split = ",",
            defaultValue = "8000,32000",
            description = "Vocabulary sizes (default ${DEFAULT-VALUE}).")
    List<Integer> vocabSizes;

    @Override
    public void run() {
        if (!Files.exists(input)) {
            throw new UserError("input " + input + " does not exist");
        }
        for (String tool : List.of(TimedProcess.TIME, "/usr/bin/spm_train", "/usr/bin/spm_encode")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new UserError(tool + " is missing (apt-get install time sentencepiece)");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            Path corpus = GutenbergCorpus.prepare(input, workDir);
            out.printf("corpus: %s, %.1f MB; %s%n", corpus, Files.size(corpus) / 1e6, TimedProcess.cpu());
            out.flush();
            for (int vocab : vocabSizes) {
                Path ours = workDir.resolve("tokenmill-unigram-" + vocab);
                TimedProcess.Measured us = TimedProcess.run(ours(corpus, vocab, ours), Map.of(), null);
                Path spmPrefix = workDir.resolve("spm-unigram-" + vocab);
                TimedProcess.Measured spm = TimedProcess.run(spmTrain(corpus, spmPrefix, vocab, cores), Map.of(), null);
                out.printf(
                        "vocab %,d: tokenmill CPU %.1f s, wall %.1f s, peak RSS %,d MB | spm_train CPU %.1f s, wall %.1f s,"
                                + " peak RSS %,d MB | ratio CPU %.2f, wall %.2f, memory %.2f%n",
                        vocab,
                        us.cpu(),
                        us.wall(),
                        us.rssKb() / 1024,
                        spm.cpu(),
                        spm.wall(),
                        spm.rssKb() / 1024,
                        us.cpu() / spm.cpu(),
                        us.wall() / spm.wall(),
                        (double) us.rssKb() / spm.rssKb());
                out.flush();
            }
            int vocab = vocabSizes.get(0);
            Path train = workDir.resolve("gutenberg-train95.txt");
            Path heldOut = workDir.resolve("gutenberg-heldout.txt");
            Path ours = workDir.resolve("tokenmill-unigram-95-" + vocab);
            TimedProcess.run(ours(train, vocab, ours), Map.of(), null);
            Path spmPrefix = workDir.resolve("spm-unigram-95-" + vocab);
            TimedProcess.run(spmTrain(train, spmPrefix, vocab, cores), Map.of(), null);
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
            out.printf(
                    "held-out compression (vocab %,d, %,d lines, %.1f MB): tokenmill %.4f bytes/token (%,d tokens),"
                            + " spm %.4f (%,d tokens): difference %+.2f %%%n",
                    vocab, lines.size(), bytes / 1e6, a, oursTokens, b, spmTokens, 100 * (a - b) / b);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a user runs: bin/tokenmill train-tokenizer on the text file with spm's settings (and its default special token). */
    private List<String> ours(Path corpus, int vocab, Path output) {
        return List.of(
                TimedProcess.launcher(),
                "train-tokenizer",
                "--type",
                "unigram",
                "--text-file",
                corpus.toString(),
                "--output",
                output.toString(),
                "--vocab-size",
                String.valueOf(vocab),
                "--byte-fallback",
                "true",
                "--character-coverage",
                "0.9995",
                "--normalization",
                "nfkc");
    }

    private static List<String> spmTrain(Path corpus, Path prefix, int vocab, int threads) {
        return List.of(
                "/usr/bin/spm_train",
                "--input=" + corpus,
                "--model_prefix=" + prefix,
                "--model_type=unigram",
                "--vocab_size=" + vocab,
                "--byte_fallback=true",
                "--character_coverage=0.9995",
                "--num_threads=" + threads,
                "--minloglevel=1");
    }

    private static long spmTokenCount(String model, Path lines) throws IOException {
        Process p = new ProcessBuilder("/usr/bin/spm_encode", "--model=" + model, "--output_format=id")
                .redirectInput(lines.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long tokens = 0;
        try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                tokens += line.isBlank() ? 0 : line.trim().split(" ").length;
            }
        }
        waitFor(p, "spm_encode");
        return tokens;
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
}
