package dev.tokenmill.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.recipe.Recipe;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A verb that runs one step from a spec file: {@code name}, optional {@code seed} and {@code output} (default
 * {@code sweeps/NAME}), the rest the step's parameters; the recipe runner does fingerprints, up-to-date and lineage.
 */
abstract class SpecStepCommand extends LakeCommand {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Parameters(
            index = "0",
            paramLabel = "SPEC.yaml",
            description = "The spec: name, seed, output and the step's parameters.")
    Path specFile;

    /** The step kind the spec's parameters are for. */
    abstract String kind();

    @Option(
            names = "--force",
            description = "Commit the table again even if it is up to date (finished runs are still reused).")
    boolean force;

    @Override
    @SuppressWarnings("unchecked")
    public final void run() {
        Map<String, Object> spec;
        try {
            spec = YAML.readValue(specFile.toFile(), Map.class);
        } catch (IOException e) {
            throw new UserError(kind() + ": cannot read " + specFile + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (spec == null || !(spec.get("name") instanceof String name) || !name.matches("[A-Za-z0-9._-]+")) {
            throw new UserError(kind() + ": " + specFile + " needs a name (letters, digits, . _ -)");
        }
        Map<String, Object> params = new LinkedHashMap<>(spec);
        params.remove("name");
        Object seed = params.remove("seed");
        Object output = params.remove("output");
        if (seed != null && !(seed instanceof Number)) {
            throw new UserError(kind() + ": seed must be a number");
        }
        Recipe.Step entry = new Recipe.Step(
                kind(),
                null,
                output == null ? "sweeps/" + name : String.valueOf(output),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                params);
        new RecipeRunner(lake(), out())
                .runStep(entry, seed == null ? Recipe.DEFAULT_SEED : ((Number) seed).longValue(), force);
        out().flush();
    }
}
