package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.recipe.Recipe;
import dev.tokenmill.jobs.recipe.RecipeLoader;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the stages of a recipe; stages whose output is up to date are skipped.")
public final class RunCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "RECIPE.yaml")
    Path recipe;

    @Option(names = "--force", description = "Run every stage even when its output is up to date.")
    boolean force;

    @Override
    public void run() {
        runRecipe(this, recipe, force);
    }

    /** Loads and runs a recipe; shared with {@code demo}. */
    static void runRecipe(LakeCommand cmd, Path file, boolean forceAll) {
        Recipe r = RecipeLoader.load(file, environment());
        new RecipeRunner(cmd.lake(), cmd.out()).run(r, forceAll);
        cmd.out().flush();
    }

    /** Variables a recipe may use: the process environment plus TOKENMILL_HOME (the checkout). */
    static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("TOKENMILL_HOME", home().toString());
        return env;
    }

    public static Path home() {
        String h = System.getProperty("tokenmill.home", System.getenv("TOKENMILL_HOME"));
        return Path.of(h == null ? "." : h).toAbsolutePath().normalize();
    }
}
