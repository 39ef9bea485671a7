package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.recipe.Recipe;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Measures a checkpoint (or every checkpoint of a run) on a table, its held-out windows and multiple-choice tasks. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = "Measure a checkpoint: per-group loss, perplexity and bits per byte over a table's documents "
                + "(Spark tasks), the run's held-out loss, multiple-choice tasks (acc, acc_norm); results as a "
                + "Delta table with lineage.")
public final class EvalCommand extends LakeCommand {
    @Parameters(
            index = "0",
            paramLabel = "RUN|CHECKPOINT",
            description =
                    "A run folder (its latest checkpoint, or --step) or a checkpoint folder; lake-relative or absolute.")
    String model;

    @Option(names = "--table", description = "Score this table's documents (its latest version).")
    String table;

    @Option(names = "--where", description = "SQL filter on the table's documents, e.g. \"lang = 'en'\".")
    String where;

    @Option(names = "--group-by", split = ",", description = "Columns to report per value of, e.g. source,lang.")
    List<String> groupBy = List.of();

    @Option(
            names = "--text-column",
            defaultValue = "text",
            description = "The documents' column (default ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(names = "--step", description = "The checkpoint of this step (with a run folder).")
    Integer step;

    @Option(names = "--all-checkpoints", description = "Every kept checkpoint of the run: a curve per group.")
    boolean allCheckpoints;

    @Option(
            names = "--task",
            paramLabel = "FILE.jsonl",
            description = "A multiple-choice task, JSONL of {context, choices, label} (repeatable).")
    List<String> tasks = List.of();

    @Option(names = "--no-held-out", description = "Skip the run's held-out windows.")
    boolean noHeldOut;

    @Option(
            names = "--tokenizer",
            description = "tokenizer.json or its folder (default: the checkpoint's or the run's).")
    String tokenizer;

    @Option(names = "--batch-tokens", description = "Input tokens per forward pass (default 512).")
    Integer batchTokens;

    @Option(names = "--output", description = "Results table (default evals/RUN-NAME).")
    String output;

    @Option(names = "--force", description = "Evaluate again even if the results are up to date.")
    boolean force;

    @Override
    public void run() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("checkpoint", model);
        if (step != null) {
            params.put("step", step);
        }
        params.put("all_checkpoints", allCheckpoints);
        if (where != null) {
            params.put("where", where);
        }
        params.put("group_by", groupBy);
        params.put("held_out", !noHeldOut);
        params.put(
                "tasks",
                tasks.stream().map(t -> Path.of(t).toAbsolutePath().toString()).toList());
        if (tokenizer != null) {
            params.put("tokenizer", tokenizer);
        }
        if (batchTokens != null) {
            params.put("batch_tokens", batchTokens);
        }
        if (table == null && noHeldOut && tasks.isEmpty()) {
            throw new UserError("eval: nothing to evaluate: give --table, --task, or leave the held-out windows on");
        }
        String out = output != null ? output : "evals/" + runName(model);
        Recipe.Step entry =
                new Recipe.Step("eval", table, out, null, null, null, null, null, null, null, textColumn, null, params);
        new RecipeRunner(lake(), out()).runStep(entry, Recipe.DEFAULT_SEED, force);
        out().flush();
    }

    /** The run folder's name, also when a checkpoint folder (RUN/checkpoints/step-N) is given. */
    static String runName(String model) {
        Path p = Path.of(model).normalize();
        if (p.getFileName() != null
                && p.getFileName().toString().startsWith("step-")
                && p.getParent() != null
                && p.getParent().getParent() != null) {
            p = p.getParent().getParent();
        }
        return p.getFileName() == null ? "model" : p.getFileName().toString();
    }
}
