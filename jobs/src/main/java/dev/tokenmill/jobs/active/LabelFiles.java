package dev.tokenmill.jobs.active;

import com.fasterxml.jackson.databind.JsonNode;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import dev.tokenmill.jobs.util.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The labelling files a person edits: {@code label-queue} writes a round as JSONL and as CSV (id, source, score,
 * excerpt, an empty label column), {@code import-labels} reads either back. Only {@code id} and {@code label} are
 * needed on the way back; {@code labelled_by} and {@code note} are kept when present.
 */
public final class LabelFiles {
    /** One queued document as the files show it. */
    public record Queued(String id, String source, String stratum, double score, String excerpt) {}

    /** One row of a returned file: its line, the cells that matter, or why it cannot be read. */
    public record Returned(
            int line, String id, String label, String labelledBy, String note, String error, String raw) {}

    static final List<String> CSV_HEADER = List.of("id", "source", "stratum", "score", "excerpt", "label");

    private LabelFiles() {}

    public static byte[] jsonl(List<Queued> rows, int round, String strategy) {
        StringBuilder out = new StringBuilder();
        for (Queued q : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", q.id());
            m.put("source", q.source());
            m.put("stratum", q.stratum());
            m.put("score", round4(q.score()));
            m.put("strategy", strategy);
            m.put("round", round);
            m.put("excerpt", q.excerpt());
            m.put("label", null);
            out.append(Json.write(m)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 4180 CSV with a header; every cell quoted, so an excerpt's commas, quotes and line breaks survive. */
    public static byte[] csv(List<Queued> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CsvWriterSettings settings = new CsvWriterSettings();
        settings.setQuoteAllFields(true);
        settings.getFormat().setLineSeparator("\n");
        CsvWriter w = new CsvWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), settings);
        w.writeHeaders(CSV_HEADER);
        for (Queued q : rows) {
            w.writeRow(q.id(), q.source(), q.stratum(), String.valueOf(round4(q.score())), q.excerpt(), "");
        }
        w.close();
        return bytes.toByteArray();
    }

    /** The first {@code chars} characters, cut back to a word boundary when one is near, "…" when cut. */
    public static String excerpt(String text, int chars) {
        if (text.length() <= chars) {
            return text;
        }
        int cut = chars;
        int space = text.lastIndexOf(' ', chars);
        if (space > chars * 4 / 5) {
            cut = space;
        }
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut).stripTrailing() + "…";
    }

    /** The rows of a returned file, read as JSONL or CSV by its extension; throws with one line when neither. */
    public static List<Returned> read(String name, byte[] bytes) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jsonl") || lower.endsWith(".json") || lower.endsWith(".ndjson")) {
            return readJsonl(new String(bytes, StandardCharsets.UTF_8));
        }
        if (lower.endsWith(".csv")) {
            return readCsv(bytes);
        }
        throw new IllegalArgumentException(name + ": give a .jsonl or .csv labelling file");
    }

    private static List<Returned> readJsonl(String text) {
        List<Returned> rows = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.read(line);
            } catch (RuntimeException e) {
                rows.add(new Returned(i + 1, null, null, null, null, "malformed_json", line));
                continue;
            }
            if (node == null || !node.isObject()) {
                rows.add(new Returned(i + 1, null, null, null, null, "malformed_json", line));
                continue;
            }
            rows.add(new Returned(
                    i + 1,
                    cell(node.get("id")),
                    cell(node.get("label")),
                    cell(node.has("labelled_by") ? node.get("labelled_by") : node.get("labeller")),
                    cell(node.get("note")),
                    null,
                    line));
        }
        return rows;
    }

    private static String cell(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private static List<Returned> readCsv(byte[] bytes) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.setHeaderExtractionEnabled(true);
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setMaxCharsPerColumn(-1);
        CsvParser parser = new CsvParser(settings);
        parser.beginParsing(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8);
        List<Returned> rows = new ArrayList<>();
        String[] header = null;
        String[] cells;
        long previousEnd = 1;
        while ((cells = parser.parseNext()) != null) {
            if (header == null) {
                header = parser.getContext().headers();
                List<String> names = header == null ? List.of() : Arrays.asList(header);
                if (!names.contains("id") || !names.contains("label")) {
                    parser.stopParsing();
                    throw new IllegalArgumentException("the CSV file needs a header with 'id' and 'label' columns");
                }
            }
            // the context knows the line a record ended on; it started after the previous one ended
            int line = (int) previousEnd + 1;
            previousEnd = parser.getContext().currentLine();
            rows.add(new Returned(
                    line,
                    blankToNull(at(header, cells, "id")),
                    blankToNull(at(header, cells, "label")),
                    blankToNull(at(header, cells, "labelled_by")),
                    blankToNull(at(header, cells, "note")),
                    null,
                    String.join(
                            ",",
                            Arrays.stream(cells).map(c -> c == null ? "" : c).toList())));
        }
        return rows;
    }

    private static String at(String[] header, String[] cells, String name) {
        for (int i = 0; i < header.length; i++) {
            if (name.equals(header[i])) {
                return i < cells.length ? cells[i] : null;
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
