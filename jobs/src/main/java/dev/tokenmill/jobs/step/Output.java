package dev.tokenmill.jobs.step;

import dev.tokenmill.jobs.lake.TableLocation;

/**
 * Where a step's result goes, which decides how the runner commits it and tells "up to date":
 * <ul>
 *   <li>{@link Table}: a Delta table whose commit carries the lineage (and optionally a rejected table the step's
 *       drops are added to); up to date when the latest commit has the step's fingerprint;</li>
 *   <li>{@link Files}: files under a path (a model, a tokenizer folder) with a lineage JSON beside them; up to date
 *       when that JSON has the fingerprint and the artifact is there;</li>
 *   <li>{@link Run}: a training run folder, which resumes rather than restarts: the step always runs and decides
 *       itself (from its checkpoints) what is left; the runner writes its lineage JSON when it finishes.</li>
 * </ul>
 */
public sealed interface Output {
    /** The lake-relative name (or the path given) for messages and the data-flow check. */
    String name();

    record Table(TableLocation table, TableLocation rejected) implements Output {
        @Override
        public String name() {
            return table.name();
        }
    }

    /** {@code artifact}: the file whose presence means the output is there; {@code lineage}: the JSON beside it. */
    record Files(String name, String path, String artifact, String lineage) implements Output {}

    record Run(String name, String path, String lineage) implements Output {}
}
