package dev.tokenmill.jobs.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Turns one record's bytes (a JSONL line, a TSV line, a text line or a whole text file) into an {@link IngestRow}:
 * a document, or a quarantined record with the rule it broke. Never throws for bad data.
 */
final class RecordParser {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final IngestOptions options;

    RecordParser(IngestOptions options) {
        this.options = options;
    }

    Row parse(byte[] bytes, int length, InputFile file, Long line) {
        int bad = Utf8.firstInvalid(bytes, 0, length);
        if (bad >= 0) {
            byte[] raw = java.util.Arrays.copyOf(bytes, length);
            return IngestRow.quarantined(
                    options.source(),
                    file.path(),
                    line,
                    "invalid-utf8",
                    "invalid UTF-8 at byte " + bad,
                    new String(raw, StandardCharsets.UTF_8),
                    raw);
        }
        return switch (options.format()) {
            case JSONL -> json(bytes, length, file, line);
            case TSV -> tsv(new String(bytes, 0, length, StandardCharsets.UTF_8), file, line);
            case TEXT -> text(new String(bytes, 0, length, StandardCharsets.UTF_8), file, line);
            case PARQUET -> throw new IllegalStateException("parquet is read by Spark, not line by line");
        };
    }

    private Row json(byte[] bytes, int length, InputFile file, Long line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes, 0, length);
        } catch (IOException e) {
            String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            return bad(file, line, "malformed-json", firstLine(msg), bytes, length);
        }
        if (!(node instanceof ObjectNode obj)) {
            return bad(
                    file,
                    line,
                    "not-an-object",
                    "a JSON " + node.getNodeType().name().toLowerCase() + ", not an object",
                    bytes,
                    length);
        }
        JsonNode textNode = obj.get(options.textField());
        if (textNode == null || textNode.isNull()) {
            return bad(file, line, "missing-text", "no field '" + options.textField() + "'", bytes, length);
        }
        if (!textNode.isTextual()) {
            return bad(
                    file,
                    line,
                    "text-not-string",
                    "field '" + options.textField() + "' is a "
                            + textNode.getNodeType().name().toLowerCase(),
                    bytes,
                    length);
        }
        String text = textNode.textValue();
        if (text.isBlank()) {
            return bad(file, line, "empty-text", "field '" + options.textField() + "' is empty", bytes, length);
        }
        String id;
        if (options.idField() != null) {
            JsonNode idNode = obj.get(options.idField());
            if (idNode == null
                    || idNode.isNull()
                    || idNode.isContainerNode()
                    || idNode.asText().isEmpty()) {
                return bad(file, line, "missing-id", "no usable id field '" + options.idField() + "'", bytes, length);
            }
            id = idNode.asText();
            obj.remove(options.idField());
        } else {
            id = Ids.of(options.source(), file.relative(), line);
        }
        obj.remove(options.textField());
        String meta = obj.isEmpty() ? null : obj.toString();
        return IngestRow.document(id, options.source(), text, meta, file.path(), line);
    }

    private Row tsv(String record, InputFile file, Long line) {
        List<String> columns = options.columns();
        String[] fields = record.split("\t", -1);
        if (fields.length != columns.size()) {
            return IngestRow.quarantined(
                    options.source(),
                    file.path(),
                    line,
                    "wrong-field-count",
                    fields.length + " tab-separated fields, expected " + columns.size() + " ("
                            + String.join(",", columns) + ")",
                    record,
                    null);
        }
        ObjectNode meta = MAPPER.createObjectNode();
        String text = null;
        String id = null;
        for (int i = 0; i < fields.length; i++) {
            String name = columns.get(i);
            if (name.equals(options.textField())) {
                text = fields[i];
            } else if (name.equals(options.idField())) {
                id = fields[i];
            } else {
                meta.put(name, fields[i]);
            }
        }
        if (text == null || text.isBlank()) {
            return IngestRow.quarantined(
                    options.source(),
                    file.path(),
                    line,
                    "empty-text",
                    "column '" + options.textField() + "' is empty",
                    record,
                    null);
        }
        if (options.idField() != null && (id == null || id.isEmpty())) {
            return IngestRow.quarantined(
                    options.source(),
                    file.path(),
                    line,
                    "missing-id",
                    "column '" + options.idField() + "' is empty",
                    record,
                    null);
        }
        if (id == null) {
            id = Ids.of(options.source(), file.relative(), line);
        }
        return IngestRow.document(
                id, options.source(), text, meta.isEmpty() ? null : meta.toString(), file.path(), line);
    }

    private Row text(String record, InputFile file, Long line) {
        if (record.isBlank()) {
            return IngestRow.quarantined(options.source(), file.path(), line, "empty-text", "no text", record, null);
        }
        String id = Ids.of(options.source(), file.relative(), line == null ? 0 : line);
        return IngestRow.document(id, options.source(), record, null, file.path(), line);
    }

    private Row bad(InputFile file, Long line, String rule, String detail, byte[] bytes, int length) {
        return IngestRow.quarantined(
                options.source(),
                file.path(),
                line,
                rule,
                detail,
                new String(bytes, 0, length, StandardCharsets.UTF_8),
                null);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparseable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
