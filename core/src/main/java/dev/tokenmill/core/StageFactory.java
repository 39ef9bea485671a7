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

    /** The parameters, declared once: parsing, defaults, validation, config and help all come from here. */
    ParamSet params();

    /** Builds the stage from parsed parameters; a cross-parameter mistake throws {@link IllegalArgumentException}. */
    Stage create(ParamValues values);

    /**
     * Parses {@code params} and builds the stage. Unknown or invalid parameters throw
     * {@link IllegalArgumentException} with a message that names the parameter; the runner reports it as a recipe
     * error.
     */
    default Stage create(Map<String, Object> params) {
        return create(params().parse(params));
    }
}
