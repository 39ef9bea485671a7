package dev.tokenmill.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.tokenizer.bpe.BpeModel;
import dev.tokenmill.tokenizer.bpe.BpeTrainer;
import dev.tokenmill.tokenizer.bpe.PreTokenizer;
import dev.tokenmill.tokenizer.bpe.WordCounter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * BPE training against Hugging Face tokenizers (npm {@code tokenizers}, whose {@code train} uses its default
 * trainer: vocab 30,000, byte-level GPT-2 pre-tokenizer as set here) on the same corpus, alternating in the same
 * run: the Gutenberg books with their Project Gutenberg header and footer cut off, concatenated. Both sides are
 * whole processes under GNU time — {@code bin/tokenmill train-tokenizer --text-file} and {@code node} — with wall,
 * user + system CPU and peak RSS; then how much the two vocabularies agree, and held-out compression.
 */
@Command(
        name = "tokenizer",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark: byte-level BPE training (vocab 30,000) vs Hugging Face tokenizers (npm) on Gutenberg.")
public final class BenchTokenizerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "Gutenberg JSONL(.gz) books.")
    Path input;

    @Option(names = "--work-dir", required = true, description = "Scratch folder (corpus.txt and the trained files).")
    Path workDir;

    @Option(names = "--vocab-size", defaultValue = "30000", description = "Vocabulary size (default ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--threads", description = "Word-counting threads (default: all cores).")
    Integer threads;

    @Option(
            names = "--hf-dir",
            description = "A folder with node_modules/tokenizers (npm install tokenizers); omit to skip the peer.")
    Path hfDir;

    @Option(
            names = "--runs",
            defaultValue = "2",
            description = "Timed runs of each side, alternating (default ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public void run() {
        if (!Files.exists(input)) {
            throw new UserError("input " + input + " does not exist");
        }
        TimedProcess.requireTime();
        PrintWriter out = spec.commandLine().getOut();
        try {
            Path corpus = GutenbergCorpus.prepare(input, workDir);
            out.printf("corpus: %s, %.1f MB; %s%n", corpus, Files.size(corpus) / 1e6, TimedProcess.cpu());
            out.flush();
            Path ours = workDir.resolve("tokenmill-bpe");
            List<String> oursCommand = new java.util.ArrayList<>(List.of(
                    TimedProcess.launcher(),
                    "train-tokenizer",
                    "--text-file",
                    corpus.toString(),
                    "--output",
                    ours.toString(),
                    "--vocab-size",
                    String.valueOf(vocabSize),
                    "--min-frequency",
                    "1"));
            if (threads != null) {
                oursCommand.addAll(List.of("--threads", String.valueOf(threads)));
            }
            Path hfJson = workDir.resolve("hf-bpe/tokenizer.json");
            Files.createDirectories(hfJson.getParent());
            Path hfScript = hfScript();
            for (int run = 1; run <= runs; run++) {
                TimedProcess.Measured us = TimedProcess.run(oursCommand, Map.of(), null);
                out.printf("run %d: bin/tokenmill train-tokenizer: %s%n", run, us.describe());
                out.flush();
                if (hfDir != null) {
                    TimedProcess.Measured hf = TimedProcess.run(
                            List.of("node", hfScript.toString(), corpus.toString(), hfJson.toString()),
                            Map.of(
                                    "NODE_PATH",
                                    hfDir.resolve("node_modules")
                                            .toAbsolutePath()
                                            .toString()),
                            null);
                    out.printf(
                            "run %d: node (HF tokenizers train): %s | ratio CPU %.2f, wall %.2f, RSS %.2f%n",
                            run,
                            hf.describe(),
                            us.cpu() / hf.cpu(),
                            us.wall() / hf.wall(),
                            (double) us.rssKb() / hf.rssKb());
                    out.flush();
                }
            }
            if (hfDir == null) {
                return;
            }
            Set<String> theirs = new HashSet<>();
            Json.MAPPER
                    .readTree(hfJson.toFile())
                    .path("model")
                    .path("vocab")
                    .fieldNames()
                    .forEachRemaining(theirs::add);
            Set<String> mine = new HashSet<>();
            Json.MAPPER
                    .readTree(ours.resolve("tokenizer.json").toFile())
                    .path("model")
                    .path("vocab")
                    .fieldNames()
                    .forEachRemaining(mine::add);
            long shared = mine.stream().filter(theirs::contains).count();
            out.printf(
                    "vocabularies: ours %,d, HF %,d, shared %,d (%.1f %%)%n",
                    mine.size(), theirs.size(), shared, 100.0 * shared / mine.size());
            out.flush();
            compression(out, PreTokenizer.of("gpt2"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Long> countWords(Path file, PreTokenizer pre) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return WordCounter.count(
                    in, pre, threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        }
    }

    /** Our side of the comparison: the peer's settings (no special tokens, every pair may merge). */
    private BpeModel train(Map<String, Long> words, PreTokenizer pre) {
        return new BpeTrainer(new BpeTrainer.Options(vocabSize, 1, List.of()))
                .train(words)
                .withPreTokenizer(pre);
    }

    /**
     * Compression on held-out text: both trained on 19 of every 20 books, both encode the 20th books in the same
     * blocks of 100 lines; bytes of UTF-8 per token.
     */
    private void compression(PrintWriter out, PreTokenizer pre) throws IOException {
        Path train = workDir.resolve("gutenberg-train95.txt");
        Path heldOut = workDir.resolve("gutenberg-heldout.txt");
        BpeModel model = train(countWords(train, pre), pre);
        List<String> lines = Files.readAllLines(heldOut, StandardCharsets.UTF_8);
        long bytes = 0;
        long tokens = 0;
        for (int i = 0; i < lines.size(); i += 100) {
            String block = String.join("\n", lines.subList(i, Math.min(lines.size(), i + 100)));
            bytes += block.getBytes(StandardCharsets.UTF_8).length;
            tokens += model.encode(block).length;
        }
        Path script = workDir.resolve("hf-compress.js");
        Files.writeString(script, """
            // HF tokenizers: train (default trainer, byte-level) on the 95 % split, bytes per token on the held-out books
            const fs = require('fs');
            const { Tokenizer, BPE, byteLevelPreTokenizer } = require('tokenizers');
            (async () => {
              const tok = new Tokenizer(BPE.empty());
              tok.setPreTokenizer(byteLevelPreTokenizer(false, true));
              tok.train([process.argv[2]]);
              const lines = fs.readFileSync(process.argv[3], 'utf8').split('\\n');
              if (lines[lines.length - 1] === '') lines.pop();
              let bytes = 0, tokens = 0;
              for (let i = 0; i < lines.length; i += 100) {
                const block = lines.slice(i, i + 100).join('\\n');
                bytes += Buffer.byteLength(block, 'utf8');
                tokens += (await tok.encode(block)).getIds().length;
              }
              console.log(JSON.stringify({bytes: bytes, tokens: tokens}));
            })();
            """);
        JsonNode hf = runNode(script, train.toString(), heldOut.toString());
        double ours = bytes / (double) tokens;
        double theirs = hf.path("bytes").asDouble() / hf.path("tokens").asDouble();
        out.printf(
                "held-out compression (every 20th book, %.1f MB): tokenmill %.4f bytes/token (%,d tokens), HF %.4f"
                        + " (%,d tokens): difference %+.2f %%%n",
                bytes / 1e6, ours, tokens, theirs, hf.path("tokens").asLong(), 100 * (ours - theirs) / theirs);
        out.flush();
    }

    private JsonNode runNode(Path script, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("node", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment()
                .put("NODE_PATH", hfDir.resolve("node_modules").toAbsolutePath().toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    last = line;
                }
            }
        }
        try {
            if (p.waitFor() != 0 || last == null || !last.startsWith("{")) {
                throw new UserError("HF tokenizers run failed: " + last);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
        return Json.read(last);
    }

    /** HF's BPE trainer with its default settings and the GPT-2 byte-level pre-tokenizer, as a user would run it. */
    private Path hfScript() throws IOException {
        Path script = workDir.resolve("hf-train.js");
        Files.writeString(script, """
            const { Tokenizer, BPE, byteLevelPreTokenizer } = require('tokenizers');
            const tok = new Tokenizer(BPE.empty());
            tok.setPreTokenizer(byteLevelPreTokenizer(false, true));
            tok.train([process.argv[2]]);
            tok.save(process.argv[3]);
            """);
        return script;
    }
}
