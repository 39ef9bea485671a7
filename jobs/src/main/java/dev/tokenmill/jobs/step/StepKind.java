package dev.tokenmill.jobs.step;

import dev.tokenmill.core.ParamSet;

/**
 * A kind of recipe step ({@code stage:} in a recipe). Built-in kinds are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.tokenmill.jobs.step.StepKind}); every library {@link dev.tokenmill.core.StageFactory}
 * is one too, through {@link TransformStep}. A kind declares its parameters once and plans a step from a recipe
 * entry; the runner does the rest (fingerprint, up to date, lineage, commit).
 */
public interface StepKind {

    /** The name a recipe uses in {@code stage:}. */
    String name();

    /** One line for {@code tokenmill stages}. */
    String description();

    /** The {@code params:} this kind takes. Fields outside {@code params} (input, output, ...) are in {@link StepSpec}. */
    ParamSet params();

    /**
     * Checks one recipe entry and says what the step reads, writes and is configured with. Throws
     * {@link IllegalArgumentException} (a one-line recipe error) on a mistake; reads no data.
     */
    PlannedStep plan(StepSpec spec);
}
