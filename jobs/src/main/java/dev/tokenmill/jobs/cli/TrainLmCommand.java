package dev.tokenmill.jobs.cli;

import static org.apache.spark.sql.functions.col;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.quality.lm.KneserNeyModel;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the {@code score} stage's Kneser-Ney n-gram model on a reference table (CCNet used Wikipedia per
 * language). Documents stream to the driver in partition order, so the same table version gives the same model.
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
        if (order < 2 || order > 6) {
            throw new UserError("--order must be 2..6, got " + order);
        }
        Resolved r = resolve(input);
        Dataset<Row> df = lake().read(r.table(), r.version());
        if (!List.of(df.columns()).contains(textColumn)) {
            throw new UserError("table " + r.label() + " has no column '" + textColumn + "'");
        }
        if (where != null) {
            try {
                df = df.filter(where);
                df.queryExecution().assertAnalyzed();
            } catch (Exception e) { // AnalysisException is a checked exception to Java
                throw new UserError("--where '" + where + "' is not a valid filter: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
        long t0 = System.nanoTime();
        KneserNeyModel.Builder builder = new KneserNeyModel.Builder(order);
        long docs = 0;
        long chars = 0;
        Iterator<Row> rows = df.select(col(textColumn)).filter(col(textColumn).isNotNull()).toLocalIterator();
        while (rows.hasNext()) {
            String text = rows.next().getString(0);
            builder.add(text);
            docs++;
            chars += text.length();
        }
        if (docs == 0) {
            throw new UserError("no documents in " + r.label() + (where == null ? "" : " where " + where));
        }
        KneserNeyModel model = builder.build();
        String path = lake().locate(output).path();
        Path file = new Path(path);
        try {
            FileSystem fs = file.getFileSystem(lake().hadoopConf());
            try (OutputStream out = fs.create(file, true)) {
                model.save(out);
            }
        } catch (IOException e) {
            throw new dev.tokenmill.jobs.JobFailure("cannot write the model to " + path + ": " + e.getMessage(), e);
        }
        StringBuilder counts = new StringBuilder();
        for (int k = 1; k <= order; k++) {
            counts.append(k == 1 ? "" : ", ").append(k).append("-grams ").append(String.format("%,d", model.ngrams(k)));
        }
        out().printf("trained %d-gram model on %s: %,d docs, %,d chars, vocabulary %,d; %s (%.1f s) → %s%n",
            order, r.label(), docs, chars, model.vocabulary(), counts, (System.nanoTime() - t0) / 1e9, path);
        out().flush();
    }
}
