package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.active.LabelQueueKind;
import dev.tokenmill.jobs.recipe.Recipe;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The next documents to label for the quality classifier; the {@code label-queue} step run alone. */
@Command(
        name = "label-queue",
        mixinStandardHelpOptions = true,
        description = "Active learning: score a table with a quality classifier, pick the documents whose labels "
                + "would teach it most (uncertainty, diverse, random, …), append them as a round of a labels table "
                + "and write JSONL and CSV labelling files.")
public final class LabelQueueCommand extends LakeCommand {
    @Option(names = "--model", required = true, description = "Quality classifier folder (models/quality/NAME).")
    String model;

    @Option(names = "--table", required = true, description = "The pool of documents to pick from.")
    String table;

    @Option(names = "--output", description = "Labels table (default labels/MODEL-NAME).")
    String output;

    @Option(names = "--n", defaultValue = "200", description = "Documents this round (default ${DEFAULT-VALUE}).")
    int n;

    @Option(
            names = "--strategy",
            defaultValue = "uncertainty",
            description = "uncertainty | margin | entropy | diverse | random (default ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--stratify-by", description = "Share the round among this column's values (e.g. source).")
    String stratifyBy;

    @Option(names = "--where", description = "SQL filter on the pool, e.g. \"lang = 'en'\".")
    String where;

    @Option(names = "--files", description = "Folder of the labelling files (default label-files/NAME in the lake).")
    String files;

    @Option(names = "--excerpt-chars", description = "Characters of each document in the files (default 1000).")
    Integer excerptChars;

    @Option(names = "--text-column", defaultValue = "text", description = "Text column (default ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of ties and of random (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Queue another round even if this one is up to date.")
    boolean force;

    @Override
    public void run() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", model);
        params.put("n", n);
        params.put("strategy", strategy);
        if (stratifyBy != null) {
            params.put("stratify_by", stratifyBy);
        }
        if (where != null) {
            params.put("where", where);
        }
        if (files != null) {
            params.put("files", files);
        }
        if (excerptChars != null) {
            params.put("excerpt_chars", excerptChars);
        }
        String out = output != null
                ? output
                : "labels/" + EvalCommand.runName(Path.of(model).toString());
        Recipe.Step entry = new Recipe.Step(
                LabelQueueKind.NAME, table, out, null, null, null, null, null, null, null, textColumn, null, params);
        new RecipeRunner(lake(), out()).runStep(entry, seed, force);
        out().flush();
    }
}
