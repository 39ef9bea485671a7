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
    public static final String NEXT_SENTENCE = "europarl-next-sentence.jsonl";
    static final int NEXT_SENTENCE_ITEMS = 200;

    private DemoEvalSet() {}

    public static Path ensure(Path corpus) {
        Path dir = corpus.resolveSibling(DIR);
        Path reading = dir.resolve("europarl-reading.jsonl");
        Path nextSentence = dir.resolve(NEXT_SENTENCE);
        if ((Files.exists(reading) && Files.exists(nextSentence)) || !Files.exists(corpus)) {
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
            write(reading, items);
            write(nextSentence, nextSentenceItems(english, random));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A 4-way next-sentence task in lm-evaluation-harness's multiple-choice form ({@code context}, {@code choices},
     * {@code label}): the first two sentences of an English speech, its third sentence among the third sentences of
     * three other speeches of the task. Being in the evaluation folder, its speeches are removed from the training
     * data by the decontaminate step: the task is held out from the model it measures.
     */
    static List<String> nextSentenceItems(List<String> english, SplittableRandom random) throws IOException {
        List<String[]> picked = new ArrayList<>();
        while (picked.size() < NEXT_SENTENCE_ITEMS && !english.isEmpty()) {
            String[] sentences = english.remove(random.nextInt(english.size())).split("(?<=[.!?])\\s+(?=\\p{Lu})");
            if (sentences.length >= 4
                    && java.util.Arrays.stream(sentences, 0, 3).allMatch(x -> x.length() >= 20 && x.length() <= 300)) {
                picked.add(sentences);
            }
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < picked.size(); i++) {
            List<String> choices = new ArrayList<>();
            choices.add(picked.get(i)[2]);
            java.util.Set<Integer> used = new java.util.HashSet<>(List.of(i));
            while (choices.size() < 4) {
                int other = random.nextInt(picked.size());
                if (used.add(other)) {
                    choices.add(picked.get(other)[2]);
                }
            }
            // the right answer at a seeded position among the four
            int label = random.nextInt(4);
            java.util.Collections.swap(choices, 0, label);
            ObjectNode item = Json.MAPPER.createObjectNode();
            item.put("id", "next-sentence-" + i);
            item.put("context", picked.get(i)[0] + " " + picked.get(i)[1]);
            choices.forEach(item.putArray("choices")::add);
            item.put("label", label);
            items.add(Json.MAPPER.writeValueAsString(item));
        }
        return items;
    }

    private static void write(Path out, List<String> lines) throws IOException {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
