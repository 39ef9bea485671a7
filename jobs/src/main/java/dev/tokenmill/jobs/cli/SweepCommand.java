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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs a sweep spec: {@code name}, optional {@code seed} and {@code output}, the rest the sweep step's parameters. */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = "Train a set of small proxy models, one Spark task per run, and write one row per run to "
                + "sweeps/NAME (resumable: finished runs are kept). SPEC.yaml: name, seed, base, runs, seeds, eval.")
public final class SweepCommand extends LakeCommand {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Parameters(index = "0", paramLabel = "SPEC.yaml", description = "The sweep: name, seed, base, runs, seeds, eval.")
    Path specFile;

    @Option(
            names = "--force",
            description = "Commit the table again even if it is up to date (finished runs are still reused).")
    boolean force;

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        Map<String, Object> spec;
        try {
            spec = YAML.readValue(specFile.toFile(), Map.class);
        } catch (IOException e) {
            throw new UserError("sweep: cannot read " + specFile + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (spec == null || !(spec.get("name") instanceof String name) || !name.matches("[A-Za-z0-9._-]+")) {
            throw new UserError("sweep: " + specFile + " needs a name (letters, digits, . _ -)");
        }
        Map<String, Object> params = new LinkedHashMap<>(spec);
        params.remove("name");
        Object seed = params.remove("seed");
        Object output = params.remove("output");
        if (seed != null && !(seed instanceof Number)) {
            throw new UserError("sweep: seed must be a number");
        }
        Recipe.Step entry = new Recipe.Step(
                "sweep",
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
