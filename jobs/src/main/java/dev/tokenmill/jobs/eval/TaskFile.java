package dev.tokenmill.jobs.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.train.infer.MultipleChoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A multiple-choice task file: JSONL, one {@code {"context": …, "choices": […], "label": i}} per line. */
final class TaskFile {
    private TaskFile() {}

    /** The task's name: the file name without {@code .jsonl}. */
    static String name(Path file) {
        return file.getFileName().toString().replaceAll("\\.jsonl$", "");
    }

    /** The items; an {@link IllegalArgumentException} naming the file and line for anything malformed. */
    static List<MultipleChoice.Item> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read task " + file + ": " + e.getMessage());
        }
        List<MultipleChoice.Item> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            try {
                JsonNode n = Json.MAPPER.readTree(line);
                if (!n.path("context").isTextual()
                        || !n.path("choices").isArray()
                        || !n.path("label").isInt()) {
                    throw new IllegalArgumentException(
                            "expected {\"context\": string, \"choices\": [string, …], \"label\": index}");
                }
                List<String> choices = new ArrayList<>();
                for (JsonNode c : n.get("choices")) {
                    if (!c.isTextual()) {
                        throw new IllegalArgumentException("every choice must be a string");
                    }
                    choices.add(c.asText());
                }
                items.add(new MultipleChoice.Item(
                        n.get("context").asText(), choices, n.get("label").asInt()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(where + "not JSON (" + e.getOriginalMessage() + ")");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("task " + file + " has no items");
        }
        return items;
    }
}
