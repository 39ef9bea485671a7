package dev.tokenmill.jobs.step;

import dev.tokenmill.jobs.lake.TableLocation;
import java.util.List;
import java.util.Map;

/**
 * What a planned step reads, writes and is configured with, and the work itself. The runner pins every table read
 * to its latest version, adds the {@link #stamps} of other inputs, hashes all that with the config, seed and code
 * version into the fingerprint, skips the step when its output already carries it, and otherwise calls {@link #run}
 * and records the lineage through {@link StepRun}'s committers.
 */
public interface PlannedStep {

    /** Tables read, each pinned to its latest version when the step starts. */
    List<TableLocation> tables();

    /** Files and folders read besides tables (a tokenizer), as recipe names, for the data-flow check. */
    default List<String> files() {
        return List.of();
    }

    Output output();

    /** Tables written besides the output that other steps may write too (a shared rejected table). */
    default List<TableLocation> sharedWrites() {
        return List.of();
    }

    /** The parsed parameters (defaults filled in) and what they resolve to at plan time. */
    Map<String, Object> config();

    /** The columns read by name (part of the fingerprint: another column is another input). */
    default List<String> columns() {
        return List.of();
    }

    /** True when the recipe seed changes what the step writes. */
    default boolean seeded() {
        return false;
    }

    /** How the runner names the step: {@code "normalize raw/x@3 → clean/x"}. */
    String label(StepRun run);

    /**
     * Inputs that are not lake tables, stamped now (a tokenizer's SHA-256, a model's listing, raw files): they join
     * the config in the fingerprint and the lineage, so a retrained model re-runs the step.
     */
    default Map<String, Object> stamps(StepRun run) {
        return Map.of();
    }

    /** Does the work and commits it through {@code run} (exactly one commit call for a table or files output). */
    void run(StepRun run);
}
