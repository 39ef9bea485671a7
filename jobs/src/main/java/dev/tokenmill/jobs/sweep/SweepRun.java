package dev.tokenmill.jobs.sweep;

import dev.tokenmill.train.TrainConfig;
import dev.tokenmill.train.model.ModelConfig;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One proxy run of a sweep, shipped to its Spark task: the model and training settings, the data (a Megatron export
 * of a tokenize table), the tables it is evaluated on, and where it writes its run folder and its result.
 */
record SweepRun(
        String id,
        String name,
        long seed,
        String data,
        String dataPrefix,
        ModelConfig model,
        TrainConfig train,
        Map<String, String> evalPrefixes,
        int evalWindows,
        String runDir,
        String resultFile,
        int threads,
        Map<String, Object> config)
        implements Serializable {

    /** Training tokens: optimizer steps × micro-batch × accumulation × context. */
    long tokens() {
        return (long) train.steps() * train.microBatch() * train.accumulation() * model.seqLen();
    }

    static List<String> columns() {
        return List.of("run_id", "name", "seed", "data");
    }
}
