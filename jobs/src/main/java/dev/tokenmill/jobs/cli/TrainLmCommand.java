package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.lake.FilesCommitter;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.quality.LmTraining;
import dev.tokenmill.jobs.quality.TrainLmStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the {@code score} stage's Kneser-Ney n-gram model on a reference table (CCNet used Wikipedia per
 * language). The same is available as a recipe step ({@code stage: train-lm}).
 */
@Command(
        name = "train-lm",
        mixinStandardHelpOptions = true,
        description =
                "Train a word n-gram language model (interpolated modified Kneser-Ney) for the score stage's perplexity.")
public final class TrainLmCommand extends LakeCommand {
    @Option(names = "--input", required = true, paramLabel = "TABLE[@V]", description = "Reference documents.")
    String input;

    @Option(names = "--where", description = "SQL filter on the input, e.g. \"lang = 'en'\".")
    String where;

    @Option(
            names = "--output",
            required = true,
            description = "Model file, lake-relative (models/lm/en.kn) or a full path/URI.")
    String output;

    @Option(names = "--order", defaultValue = "4", description = "N-gram order, 2..6 (default ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--text-column", defaultValue = "text", description = "Text column (default ${DEFAULT-VALUE}).")
    String textColumn;

    @Override
    public void run() {
        Resolved r = resolve(input);
        java.time.Instant started = java.time.Instant.now();
        LmTraining.Result result = LmTraining.train(lake(), r.table(), r.version(), where, textColumn, order, output);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("where", where);
        config.put("order", order);
        FilesCommitter.write(
                lake(),
                result.path() + ".lineage.json",
                FilesCommitter.lineage(
                        TrainLmStep.NAME,
                        null,
                        List.of(Lineage.Input.table(r.table().name(), r.table().path(), r.version())),
                        output,
                        config,
                        null,
                        null,
                        started,
                        Math.round(result.seconds() * 1000),
                        result.results()));
        out().printf("trained %d-gram model on %s: %s%n", order, r.label(), result.summary(order));
        out().flush();
    }
}
