package dev.tokenmill.jobs.infer;

import dev.tokenmill.core.Param;

/** The parameters every step that runs a checkpoint declares (eval, generate): which model, and its threads. */
public final class ModelParams {
    public static final Param<String> CHECKPOINT = Param.string(
            "checkpoint",
            null,
            "a run folder (its latest checkpoint) or a checkpoint folder, lake-relative or absolute; required");
    public static final Param<Integer> STEP =
            Param.optionalInteger("step", 0, Integer.MAX_VALUE, "the checkpoint of this step of the run");
    public static final Param<String> TOKENIZER =
            Param.string("tokenizer", null, "tokenizer.json or its folder (default: the checkpoint's, else the run's)");
    public static final Param<Integer> THREADS = Param.optionalInteger(
                    "threads_per_task", 1, 1024, "torch threads per Spark task (default: cores / task slots)")
            .notInOutput();

    private ModelParams() {}

    /** The checkpoint parameter's value; a one-line error when it is missing. */
    public static String checkpoint(dev.tokenmill.core.ParamValues p) {
        String c = p.get(CHECKPOINT);
        if (c == null || c.isBlank()) {
            throw new IllegalArgumentException("missing parameter 'checkpoint' (a run folder or checkpoint folder)");
        }
        return c;
    }

    /** Torch threads for each task: as given, else the cores shared among the slots that run at once. */
    public static int threads(Integer given, int defaultParallelism) {
        int cores = Runtime.getRuntime().availableProcessors();
        return given != null && given > 0
                ? given
                : Math.max(1, cores / Math.min(cores, Math.max(1, defaultParallelism)));
    }
}
