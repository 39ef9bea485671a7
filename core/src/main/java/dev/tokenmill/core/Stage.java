package dev.tokenmill.core;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One step of the pipeline: a table in, the same rows out, each either kept or tagged as rejected.
 *
 * <p>A stage returns its input with one extra column, {@link Rejection#COLUMN}: null for a kept row, a (rule, value,
 * threshold, detail) struct for a dropped one. The runner splits kept from rejected, counts both, and writes the
 * stage's output table and its lineage in one place. A stage never opens storage itself: files it needs (models,
 * word lists) it reads through {@link StageContext#resources()} and declares in {@link #externalInputs}, and a
 * stage that needs whole-table work (fuzzy dedup) may run Spark actions and read and write side tables through
 * {@link StageContext#sideTables()} inside {@link #apply}. Its parameters are declared once in its factory's
 * {@link ParamSet}, and {@link #config()} is their parsed values plus what they resolve to.
 */
public interface Stage {

    /** Stable stage name, recorded in lineage and in the rejected table's {@code stage} column. */
    String name();

    /**
     * Everything that changes this stage's output, as plain JSON-able values. It is part of the fingerprint,
     * so two configs that give the same output should map to equal values (fill defaults in).
     */
    Map<String, Object> config();

    /**
     * Files the stage reads besides its input table (models, word lists), each with a stamp that changes when the
     * file does. The runner adds them to the fingerprint and the lineage, so a retrained model re-runs the stage.
     * Throws {@link IllegalArgumentException} when one is missing.
     */
    default Map<String, String> externalInputs(StageContext context) {
        return Map.of();
    }

    /**
     * True for a stage that maps each row on its own (no join, no aggregate) and passes through rows whose
     * {@link Rejection#PRIOR} is set: such stages can be fused into one pass ({@link FusedStage}).
     */
    default boolean rowWise() {
        return false;
    }

    /** The names this stage writes in the rejected table's {@code stage} column. */
    default java.util.List<String> rejectingStages() {
        return java.util.List.of(name());
    }

    /**
     * The transform: input rows → input rows plus the {@link Rejection#COLUMN} tag. Row-wise stages return a lazy
     * Dataset; a stage with whole-table work may compute (and write its side tables) here before returning it.
     */
    Dataset<Row> apply(Dataset<Row> input, StageContext context);
}
