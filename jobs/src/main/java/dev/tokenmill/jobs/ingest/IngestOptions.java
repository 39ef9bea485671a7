package dev.tokenmill.jobs.ingest;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to read one input. {@code format} is jsonl, parquet, text or tsv (null: each file's by its extension, see
 * {@link #forFile}); {@code columns} names the tab-separated
 * fields of tsv input; {@code perLine} makes text input one document per non-blank line instead of per file.
 */
public record IngestOptions(
        String source,
        String input,
        Format format,
        String textField,
        String idField,
        List<String> columns,
        boolean perLine)
        implements Serializable {

    public enum Format {
        JSONL,
        PARQUET,
        TEXT,
        TSV
    }

    /** Config as recorded in lineage (and hashed into the fingerprint). */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("source", source);
        c.put("input", input);
        c.put("format", format == null ? "by-extension" : format.name().toLowerCase());
        c.put("text_field", textField);
        c.put("id_field", idField);
        if (columns != null && !columns.isEmpty()) {
            c.put("columns", columns);
        }
        c.put("per_line", perLine);
        return c;
    }

    /** These options for one file: with no format given (a mixed input), the file's own by its extension. */
    public IngestOptions forFile(String relativeName) {
        return format != null
                ? this
                : new IngestOptions(source, input, guess(relativeName), textField, idField, columns, perLine);
    }

    /** Guesses the format from the first file's name: .jsonl/.json/.ndjson, .parquet, .tsv, else text. */
    public static Format guess(String fileName) {
        String n = fileName.toLowerCase().replaceAll("\\.(gz|zst|bz2)$", "");
        if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
            return Format.JSONL;
        }
        if (n.endsWith(".parquet")) {
            return Format.PARQUET;
        }
        if (n.endsWith(".tsv")) {
            return Format.TSV;
        }
        return Format.TEXT;
    }
}
