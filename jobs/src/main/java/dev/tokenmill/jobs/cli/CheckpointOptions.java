package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.train.infer.CheckpointModel;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The checkpoint a Spark-free model verb works on (generate, export-hf): RUN|CHECKPOINT, --step, --tokenizer. */
final class CheckpointOptions {
    @Parameters(
            index = "0",
            paramLabel = "RUN|CHECKPOINT",
            description = "A run folder (its latest checkpoint, or --step) "
                    + "or a checkpoint folder; a lake-relative name (runs/x) resolves under --lake.")
    String model;

    @Option(names = "--step", description = "The checkpoint of this step (with a run folder).")
    Long step;

    @Option(
            names = "--tokenizer",
            description = "tokenizer.json or its folder (default: beside the checkpoint, or in the run folder).")
    Path tokenizer;

    /** The checkpoint folder: the name as given, else under the lake root; a one-line {@link UserError} if none. */
    Path checkpoint(String lakeRoot, String verb) {
        return resolve(model, step, lakeRoot, verb);
    }

    /** A RUN|CHECKPOINT name as given, else under the lake root; a one-line {@link UserError} if none. */
    static Path resolve(String model, Long step, String lakeRoot, String verb) {
        Path given = Path.of(model);
        Path where = given;
        if (!Files.exists(given) && !given.isAbsolute()) {
            where = Path.of(lakeRoot.startsWith("file:") ? URI.create(lakeRoot).getPath() : lakeRoot)
                    .resolve(model);
            if (!Files.exists(where)) {
                throw new UserError(verb + ": no run or checkpoint at " + given + " or " + where);
            }
        }
        try {
            return CheckpointModel.resolve(where, step);
        } catch (IllegalArgumentException e) {
            throw new UserError(verb + ": " + e.getMessage());
        }
    }
}
