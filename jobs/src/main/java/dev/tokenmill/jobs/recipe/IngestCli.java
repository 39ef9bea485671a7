package dev.tokenmill.jobs.recipe;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.ingest.IngestOptions;
import java.util.List;

/** Builds validated {@link IngestOptions} from CLI flags or recipe fields (same names, same checks). */
public final class IngestCli {
    private IngestCli() {}

    public static IngestOptions options(
            String source,
            String input,
            String format,
            String textField,
            String idField,
            List<String> columns,
            boolean perLine) {
        IngestOptions.Format f = null;
        if (format != null) {
            try {
                f = IngestOptions.Format.valueOf(format.trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new UserError("unknown format '" + format + "' (use jsonl, parquet, text or tsv)");
            }
        }
        return new IngestOptions(
                source,
                input,
                f,
                textField == null ? "text" : textField,
                idField,
                columns == null ? List.of() : List.copyOf(columns),
                perLine);
    }
}
