package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.recipe.Stages;
import dev.tokenmill.jobs.util.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "stages", mixinStandardHelpOptions = true, description = "List the stages a recipe can use.")
public final class StagesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        TextTable t = new TextTable(120, "stage", "what it does");
        t.row("ingest", "raw files (jsonl[.gz|.zst], parquet, text, tsv; local or s3a://) → raw/SOURCE + quarantine/SOURCE");
        t.row("train-lm", "a Kneser-Ney word n-gram model from a table (params: where, order) for the score stage's perplexity");
        Stages.all().forEach((name, f) -> t.row(name, f.description()));
        t.print(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
    }
}
