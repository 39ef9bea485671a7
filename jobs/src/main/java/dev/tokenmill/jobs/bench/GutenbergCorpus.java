package dev.tokenmill.jobs.bench;

import dev.tokenmill.jobs.util.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The tokenizer benchmarks' corpus: the Gutenberg books with their Project Gutenberg header and footer cut off,
 * concatenated ({@code gutenberg-corpus.txt}), plus a split by book: every 20th book held out
 * ({@code gutenberg-heldout.txt}), the rest for training ({@code gutenberg-train95.txt}). Written once per work dir.
 */
final class GutenbergCorpus {
    private GutenbergCorpus() {}

    /** The books, each cut to the lines strictly between "*** START OF" and "*** END OF", concatenated. */
    static Path prepare(Path input, Path workDir) throws IOException {
        Path corpus = workDir.resolve("gutenberg-corpus.txt");
        if (Files.exists(corpus) && Files.exists(workDir.resolve("gutenberg-heldout.txt"))) {
            return corpus;
        }
        Files.createDirectories(workDir);
        Path tmp = workDir.resolve("gutenberg-corpus.txt.tmp");
        int book = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(Files.newInputStream(input)), StandardCharsets.UTF_8));
                BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                BufferedWriter train =
                        Files.newBufferedWriter(workDir.resolve("gutenberg-train95.txt"), StandardCharsets.UTF_8);
                BufferedWriter heldOut =
                        Files.newBufferedWriter(workDir.resolve("gutenberg-heldout.txt"), StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; book++) {
                BufferedWriter split = book % 20 == 19 ? heldOut : train; // every 20th book held out
                String[] lines = Json.read(line).path("text").asText().split("\r?\n");
                int from = 0;
                int to = lines.length;
                for (int i = 0; i < lines.length; i++) {
                    if (lines[i].startsWith("*** START OF") && from == 0) {
                        from = i + 1;
                    } else if (lines[i].startsWith("*** END OF")) {
                        to = i;
                        break;
                    }
                }
                for (int i = from; i < to; i++) {
                    w.write(lines[i]);
                    w.write('\n');
                    split.write(lines[i]);
                    split.write('\n');
                }
            }
        }
        Files.move(tmp, corpus, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return corpus;
    }
}
