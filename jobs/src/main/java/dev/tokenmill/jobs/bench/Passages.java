package dev.tokenmill.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenmill.jobs.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Benchmark input: splits each JSONL document's text into passages of about N words (whole lines). */
final class Passages {
    private Passages() {}

    static Path write(Path input, Path output, int words) {
        return write(input, output, words, 1);
    }

    /** As {@link #write(Path, Path, int)}, each passage written {@code copies} times (ids suffixed "-cK"). */
    static Path write(Path input, Path output, int words, int copies) {
        try {
            Files.createDirectories(output.getParent());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                            new GZIPInputStream(Files.newInputStream(input), 1 << 16), StandardCharsets.UTF_8));
                    Writer out = new OutputStreamWriter(
                            new GZIPOutputStream(Files.newOutputStream(output), 1 << 16), StandardCharsets.UTF_8)) {
                List<String> docs = new java.util.ArrayList<>();
                for (String line; (line = in.readLine()) != null; ) {
                    docs.add(line);
                }
                for (int copy = 0; copy < copies; copy++) {
                    for (String line : docs) {
                        JsonNode doc = Json.read(line);
                        String id = doc.path("id").asText() + (copies > 1 ? "-c" + copy : "");
                        StringBuilder passage = new StringBuilder();
                        int count = 0;
                        int part = 0;
                        for (String textLine : doc.path("text").asText().split("\n")) {
                            passage.append(textLine).append('\n');
                            count += textLine.isBlank() ? 0 : textLine.trim().split("\\s+").length;
                            if (count >= words) {
                                emit(out, doc, id, part++, passage);
                                passage.setLength(0);
                                count = 0;
                            }
                        }
                        if (!passage.toString().isBlank()) {
                            emit(out, doc, id, part, passage);
                        }
                    }
                }
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void emit(Writer out, JsonNode doc, String id, int part, StringBuilder text) throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", id + "-" + part);
        o.put("source", doc.path("source").asText());
        o.put("title", doc.path("title").asText());
        o.put("text", text.toString());
        out.write(o.toString());
        out.write('\n');
    }
}
