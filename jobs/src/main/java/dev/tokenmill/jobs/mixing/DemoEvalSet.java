package dev.tokenmill.jobs.mixing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenmill.jobs.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * The demo's evaluation set: a "benchmark" of 30 reading-comprehension items whose passages are 30-word windows of
 * English Europarl speeches (seed 42), written as {@code eval/europarl-reading.jsonl} next to the corpus. The
 * demo's decontaminate step then finds exactly those speeches in the training data — the situation a real
 * benchmark copied from the web creates.
 */
public final class DemoEvalSet {
    public static final String DIR = "eval";

    private DemoEvalSet() {}

    public static Path ensure(Path corpus) {
        Path dir = corpus.resolveSibling(DIR);
        Path out = dir.resolve("europarl-reading.jsonl");
        if (Files.exists(out) || !Files.exists(corpus)) {
            return dir;
        }
        List<String> english = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(corpus)), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split("\t", 3);
                // English speeches of some length: " the " is common enough to pick them without a language model
                if (f.length == 3 && f[2].split("\\s+").length >= 80 && f[2].split(" the ").length > 8) {
                    english.add(f[2]);
                }
            }
            SplittableRandom random = new SplittableRandom(42);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 30 && !english.isEmpty(); i++) {
                String[] words = english.remove(random.nextInt(english.size())).split("\\s+");
                int from = random.nextInt(words.length - 30);
                ObjectNode item = Json.MAPPER.createObjectNode();
                item.put("id", "reading-" + i);
                item.put("passage", String.join(" ", java.util.Arrays.copyOfRange(words, from, from + 30)));
                item.put("question", "What does the speaker ask the House to do?");
                items.add(Json.MAPPER.writeValueAsString(item));
            }
            Files.createDirectories(dir);
            Path tmp = dir.resolve("europarl-reading.jsonl.tmp");
            Files.write(tmp, items, StandardCharsets.UTF_8);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
