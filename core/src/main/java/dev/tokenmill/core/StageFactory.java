package dev.tokenmill.core;

import java.util.Map;

/**
 * Makes a {@link Stage} from recipe parameters. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.tokenmill.core.StageFactory}), so a module adds stages without touching jobs.
 */
public interface StageFactory {

    /** The name a recipe uses in {@code stage:}. */
    String name();

    /** One line for {@code tokenmill stages}. */
    String description();

    /**
     * Builds the stage. Unknown or invalid parameters throw {@link IllegalArgumentException} with a message
     * that names the parameter; the runner reports it as a recipe error.
     */
    Stage create(Map<String, Object> params);
}
