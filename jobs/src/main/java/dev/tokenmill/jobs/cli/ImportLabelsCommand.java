package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.active.ImportLabelsKind;
import dev.tokenmill.jobs.recipe.Recipe;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A returned labelling file merged into a labels table; the {@code import-labels} step run alone. */
@Command(
        name = "import-labels",
        mixinStandardHelpOptions = true,
        description = "Merge a labelling file (JSONL or CSV with id and label) into a labels table as a new version; "
                + "unknown ids, bad labels and malformed rows go to the rejected table (or fail with --strict).")
public final class ImportLabelsCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The labelling file (.jsonl or .csv), or a URI.")
    String file;

    @Option(names = "--into", required = true, description = "The labels table (labels/NAME).")
    String into;

    @Option(names = "--strict", description = "Fail on the first refused row; nothing is imported.")
    boolean strict;

    @Option(names = "--force", description = "Import again even if this file is already merged.")
    boolean force;

    @Override
    public void run() {
        Map<String, Object> params = new LinkedHashMap<>();
        // a local file is named absolutely: lake-relative names are for files inside the lake
        boolean local = !file.contains("://") && Files.exists(Path.of(file));
        params.put("file", local ? Path.of(file).toAbsolutePath().normalize().toString() : file);
        params.put("strict", strict);
        Recipe.Step entry = new Recipe.Step(
                ImportLabelsKind.NAME, null, into, null, null, null, null, null, null, null, null, null, params);
        new RecipeRunner(lake(), out()).runStep(entry, Recipe.DEFAULT_SEED, force);
        out().flush();
    }
}
