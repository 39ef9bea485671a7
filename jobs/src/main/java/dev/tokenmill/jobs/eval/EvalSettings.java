package dev.tokenmill.jobs.eval;

import java.util.List;

/** The eval step's parameters, parsed. */
record EvalSettings(
        String checkpoint,
        Integer step,
        boolean allCheckpoints,
        String where,
        List<String> groupBy,
        boolean heldOut,
        List<String> tasks,
        String eos,
        String tokenizer,
        int batchTokens,
        Integer threadsPerTask,
        String textColumn) {}
