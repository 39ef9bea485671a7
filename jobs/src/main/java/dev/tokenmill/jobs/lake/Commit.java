package dev.tokenmill.jobs.lake;

import java.util.Map;

/** One entry of a Delta table's history, with our lineage parsed out of userMetadata when present. */
public record Commit(
        long version,
        String timestamp,
        String operation,
        Map<String, String> operationMetrics,
        String userMetadata,
        Lineage lineage) {}
