package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.recipe.Recipe;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description =
                "Read raw files into raw/SOURCE; unusable records go to quarantine/SOURCE with file, line and reason.")
public final class IngestCommand extends LakeCommand {
    @Option(names = "--source", required = true, description = "Source name: the table becomes raw/SOURCE.")
    String source;

    @Option(names = "--input", required = true, paramLabel = "PATH|GLOB|s3a://…", description = "File, folder or glob.")
    String input;

    @Option(names = "--format", description = "jsonl, parquet, text or tsv (default: from the file extension).")
    String format;

    @Option(
            names = "--text-field",
            defaultValue = "text",
            description = "Field holding the text (default: ${DEFAULT-VALUE}).")
    String textField;

    @Option(names = "--id-field", description = "Field holding a unique id (default: a hash of source, file and line).")
    String idField;

    @Option(names = "--columns", split = ",", description = "tsv: names of the tab-separated columns.")
    List<String> columns;

    @Option(names = "--text-per-line", description = "text: one document per non-blank line (default: one per file).")
    boolean perLine;

    @Option(names = "--force", description = "Read the input even if it is unchanged since the last ingest.")
    boolean force;

    @Override
    public void run() {
        new RecipeRunner(lake(), out())
                .runStep(
                        Recipe.ingest(source, input, format, textField, idField, columns, perLine),
                        Recipe.DEFAULT_SEED,
                        force);
        out().flush();
    }
}
