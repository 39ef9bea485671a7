package dev.tokenmill.jobs.lake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.util.Json;
import java.util.List;
import java.util.Map;

/**
 * What a stage commit records in Delta's {@code userMetadata}: enough to tell what produced this version,
 * from which input versions, with which config and code, and how many rows went where.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lineage(
        @JsonProperty("tokenmill") int formatVersion,
        @JsonProperty("stage") String stage,
        @JsonProperty("fingerprint") String fingerprint,
        @JsonProperty("inputs") List<Input> inputs,
        @JsonProperty("output") String output,
        @JsonProperty("rejected_table") String rejectedTable,
        @JsonProperty("config") Map<String, Object> config,
        @JsonProperty("code_version") String codeVersion,
        @JsonProperty("seed") Long seed,
        @JsonProperty("recipe") String recipe,
        @JsonProperty("rows_in") long rowsIn,
        @JsonProperty("rows_out") long rowsOut,
        @JsonProperty("rows_rejected") long rowsRejected,
        @JsonProperty("rejected_by_rule") Map<String, Long> rejectedByRule,
        @JsonProperty("counters") Map<String, Long> counters,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("wall_ms") long wallMs) {

    public static final int FORMAT = 1;

    /**
     * An input of a stage: a table at a version, or (for ingest) raw files, which have no version.
     * {@code table} is the lake-relative name when the table is in the lake (the name every reader resolves against
     * its own lake); {@code path} the absolute URI at write time, for information only.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Input(
            @JsonProperty("table") String table,
            @JsonProperty("path") String path,
            @JsonProperty("version") Long version,
            @JsonProperty("files") Long files,
            @JsonProperty("bytes") Long bytes) {
        public static Input table(String name, String path, long version) {
            return new Input(name, path, version, null, null);
        }

        public static Input files(String path, long files, long bytes) {
            return new Input(null, path, null, files, bytes);
        }
    }

    /**
     * Where to find an input table: its lake-relative name when it has one (resolved against the lake being read,
     * which may be a copy of the one that wrote this), else the recorded absolute URI (a table outside the lake).
     */
    public static String inputTable(Input in) {
        return in.table() != null ? in.table() : in.path();
    }

    public String toJson() {
        return Json.write(this);
    }

    /** Parses userMetadata; null when it is absent or not ours (a commit made by another tool). */
    public static Lineage parse(String userMetadata) {
        if (userMetadata == null || userMetadata.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(userMetadata);
            if (!node.has("tokenmill") || !node.has("stage")) {
                return null;
            }
            return Json.MAPPER
                    .readerFor(Lineage.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(node);
        } catch (Exception e) {
            return null;
        }
    }
}
