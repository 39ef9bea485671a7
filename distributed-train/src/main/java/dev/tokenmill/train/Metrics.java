package dev.tokenmill.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <run>/metrics.jsonl}: one JSON line per training step (loss, lr, grad norm, tokens/s) and per evaluation
 * (eval_loss), written by rank 0. A resumed run first drops the lines past its checkpoint's step, so the file
 * always describes one consistent history.
 */
public final class Metrics {
    public static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    Metrics(Path runDir, long fromStep) {
        this.file = runDir.resolve(FILE);
        try {
            Files.createDirectories(runDir);
            List<String> keep = new ArrayList<>();
            if (fromStep > 0 && Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && JSON.readTree(line).path("step").asLong() <= fromStep) {
                        keep.add(line);
                    }
                }
            }
            Files.write(file, keep, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    void add(Map<String, Object> record) {
        try {
            Files.writeString(
                    file, JSON.writeValueAsString(record) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Object> record(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** Every line of a run's metrics file (empty when there is none). */
    public static List<JsonNode> read(Path runDir) {
        Path f = runDir.resolve(FILE);
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        return out;
    }
}
