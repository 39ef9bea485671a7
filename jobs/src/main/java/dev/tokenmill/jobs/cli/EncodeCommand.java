package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.tokenizer.TextTokenizer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Encodes a text file line by line with a trained tokenizer, as {@code spm_encode --output_format=id} does: one
 * output line of space-separated ids per input line (a blank line gives an empty one), in input order. Blocks of
 * lines are encoded on all cores; no Spark (bin/tokenmill starts a plain JVM for this verb).
 */
@Command(
        name = "encode",
        mixinStandardHelpOptions = true,
        description = "Encode a text file line by line (ids per line, like spm_encode --output_format=id); no Spark.")
public final class EncodeCommand implements Runnable {
    private static final int BLOCK = 4096;

    @Option(
            names = "--tokenizer",
            required = true,
            description = "A tokenizer folder (with tokenizer.json) or the tokenizer.json file.")
    Path tokenizer;

    @Option(names = "--input", defaultValue = "-", description = "UTF-8 text file, or - for standard input (default).")
    String input;

    @Option(names = "--output", defaultValue = "-", description = "Output file, or - for standard output (default).")
    String output;

    @Option(names = "--threads", description = "Encoding threads (default: all cores).")
    Integer threads;

    @Override
    public void run() {
        Path json = Files.isDirectory(tokenizer) ? tokenizer.resolve("tokenizer.json") : tokenizer;
        if (!Files.isRegularFile(json)) {
            throw new UserError("encode: no tokenizer.json at " + json);
        }
        TextTokenizer t;
        try {
            t = TextTokenizer.parseJson(Files.readString(json), json.toString());
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("encode: cannot load " + json + ": " + e.getMessage());
        }
        if (!input.equals("-") && !Files.isRegularFile(Path.of(input))) {
            throw new UserError("encode: --input " + input + " does not exist");
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, threads);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try (BufferedReader in = reader();
                BufferedWriter out = writer()) {
            // at most 2 × threads blocks in flight, written in input order
            List<Future<String>> pending = new ArrayList<>();
            List<String> block = new ArrayList<>(BLOCK);
            for (String line; (line = in.readLine()) != null; ) {
                block.add(line);
                if (block.size() == BLOCK) {
                    pending.add(submit(pool, t, block));
                    block = new ArrayList<>(BLOCK);
                    if (pending.size() >= 2 * n) {
                        out.write(pending.remove(0).get());
                    }
                }
            }
            if (!block.isEmpty()) {
                pending.add(submit(pool, t, block));
            }
            for (Future<String> f : pending) {
                out.write(f.get());
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserError("encode: " + input + " is not valid UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure("encode: interrupted");
        } catch (ExecutionException e) {
            throw new JobFailure("encode: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Future<String> submit(ExecutorService pool, TextTokenizer t, List<String> lines) {
        return pool.submit(() -> {
            StringBuilder sb = new StringBuilder(lines.size() * 64);
            for (String line : lines) {
                int[] ids = t.encode(line);
                for (int i = 0; i < ids.length; i++) {
                    if (i > 0) {
                        sb.append(' ');
                    }
                    sb.append(ids[i]);
                }
                sb.append('\n');
            }
            return sb.toString();
        });
    }

    private BufferedReader reader() throws IOException {
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new BufferedReader(
                new InputStreamReader(input.equals("-") ? System.in : Files.newInputStream(Path.of(input)), decoder),
                1 << 16);
    }

    private BufferedWriter writer() throws IOException {
        return new BufferedWriter(
                new OutputStreamWriter(
                        output.equals("-") ? System.out : Files.newOutputStream(Path.of(output)),
                        StandardCharsets.UTF_8),
                1 << 16);
    }
}
