package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.quality.LmTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the {@code score} stage's Kneser-Ney n-gram model on a reference table (CCNet used Wikipedia per
 * language). The same is available as a recipe step ({@code stage: train-lm}).
 */
@Command(name = "train-lm", mixinStandardHelpOptions = true,
    description = "Train a word n-gram language model (interpolated modified Kneser-Ney) for the score stage's perplexity.")
public final class TrainLmCommand extends LakeCommand {
    @Option(names = "--input", required = true, paramLabel = "TABLE[@V]", description = "Reference documents.")
    String input;

    @Option(names = "--where", description = "SQL filter on the input, e.g. \"lang = 'en'\".")
    String where;

    @Option(names = "--output", required = true, description = "Model file, lake-relative (models/lm/en.kn) or a full path/URI.")
    String output;

    @Option(names = "--order", defaultValue = "4", description = "N-gram order, 2..6 (default ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--text-column", defaultValue = "text", description = "Text column (default ${DEFAULT-VALUE}).")
    String textColumn;

    @Override
    public void run() {
        Resolved r = resolve(input);
        LmTraining.Result result = LmTraining.train(lake(), r.table(), r.version(), where, textColumn, order, output, null);
        out().printf("trained %d-gram model on %s: %s%n", order, r.label(), result.summary(order));
        out().flush();
    }
}
