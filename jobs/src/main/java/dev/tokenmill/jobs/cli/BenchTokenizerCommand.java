package dev.tokenmill.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.tokenizer.bpe.BpeModel;
import dev.tokenmill.tokenizer.bpe.BpeTrainer;
import dev.tokenmill.tokenizer.bpe.PreTokenizer;
import dev.tokenmill.tokenizer.bpe.TokenizerJson;
import dev.tokenmill.tokenizer.bpe.WordCounter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * BPE training time against Hugging Face tokenizers (npm {@code tokenizers}, whose {@code train} uses its default
 * trainer: vocab 30,000, byte-level GPT-2 pre-tokenizer as set here) on the same corpus in the same run: the
 * Gutenberg books with their Project Gutenberg header and footer cut off, concatenated. CPU seconds of the process
 * (JVM or node, start-up included) and wall time, then how much the two vocabularies agree.
 */
@Command(name = "bench-tokenizer", mixinStandardHelpOptions = true,
    description = "Benchmark: byte-level BPE training (vocab 30,000) vs Hugging Face tokenizers (npm) on Gutenberg.")
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

    @Option(names = "--hf-dir", description = "A folder with node_modules/tokenizers (npm install tokenizers); omit to skip the peer.")
    Path hfDir;

    @Override
    public void run() {
        if (!Files.exists(input)) {
            throw new UserError("input " + input + " does not exist");
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            Path corpus = GutenbergCorpus.prepare(input, workDir);
            out.printf("corpus: %s, %.1f MB%n", corpus, Files.size(corpus) / 1e6);
            out.flush();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            PreTokenizer pre = PreTokenizer.of("gpt2");
            Map<String, Long> words = countWords(corpus, pre);
            long t1 = System.nanoTime();
            BpeModel model = train(words, pre);
            long t2 = System.nanoTime();
            double oursCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            double oursWall = (t2 - t0) / 1e9;
            Path ours = workDir.resolve("tokenmill-bpe/tokenizer.json");
            TokenizerJson.write(model, ours);
            out.printf("tokenmill: %,d distinct words counted in %.1f s, %,d merges in %.1f s; wall %.1f s, CPU %.1f s%n",
                words.size(), (t1 - t0) / 1e9, model.merges().size(), (t2 - t1) / 1e9, oursWall, oursCpu);
            out.flush();
            if (hfDir == null) {
                return;
            }
            Path hfJson = workDir.resolve("hf-bpe/tokenizer.json");
            Files.createDirectories(hfJson.getParent());
            JsonNode hf = runHf(corpus, hfJson);
            double hfCpu = hf.path("cpu_s").asDouble();
            double hfWall = hf.path("wall_s").asDouble();
            out.printf("HF tokenizers (npm): wall %.1f s (training call), CPU %.1f s (process)%n", hfWall, hfCpu);
            out.printf("ratio tokenmill / HF: CPU %.2f, wall %.2f%n", oursCpu / hfCpu, oursWall / hfWall);
            Set<String> theirs = new HashSet<>();
            Json.MAPPER.readTree(hfJson.toFile()).path("model").path("vocab").fieldNames().forEachRemaining(theirs::add);
            long shared = model.vocab().stream().filter(theirs::contains).count();
            out.printf("vocabularies: ours %,d, HF %,d, shared %,d (%.1f %%)%n", model.vocab().size(), theirs.size(), shared,
                100.0 * shared / model.vocab().size());
            out.flush();
            compression(out, pre);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Long> countWords(Path file, PreTokenizer pre) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return WordCounter.count(in, pre, threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        }
    }

    /** Our side of the comparison: the peer's settings (no special tokens, every pair may merge). */
    private BpeModel train(Map<String, Long> words, PreTokenizer pre) {
        return new BpeTrainer(new BpeTrainer.Options(vocabSize, 1, List.of())).train(words).withPreTokenizer(pre);
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
        out.printf("held-out compression (every 20th book, %.1f MB): tokenmill %.4f bytes/token (%,d tokens), HF %.4f"
            + " (%,d tokens): difference %+.2f %%%n", bytes / 1e6, ours, tokens, theirs, hf.path("tokens").asLong(),
            100 * (ours - theirs) / theirs);
        out.flush();
    }

    private JsonNode runNode(Path script, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("node", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("NODE_PATH", hfDir.resolve("node_modules").toAbsolutePath().toString());
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

    private JsonNode runHf(Path corpus, Path save) throws IOException {
        Path script = workDir.resolve("hf-train.js");
        Files.writeString(script, """
            // HF tokenizers' BPE trainer with its default settings and the GPT-2 byte-level pre-tokenizer
            const { Tokenizer, BPE, byteLevelPreTokenizer } = require('tokenizers');
            const t0 = process.hrtime.bigint();
            const tok = new Tokenizer(BPE.empty());
            tok.setPreTokenizer(byteLevelPreTokenizer(false, true));
            tok.train([process.argv[2]]);
            const wall = Number(process.hrtime.bigint() - t0) / 1e9;
            const cpu = process.cpuUsage();
            tok.save(process.argv[3]);
            console.log(JSON.stringify({wall_s: wall, cpu_s: (cpu.user + cpu.system) / 1e6}));
            """);
        return runNode(script, corpus.toString(), save.toString());
    }
}
