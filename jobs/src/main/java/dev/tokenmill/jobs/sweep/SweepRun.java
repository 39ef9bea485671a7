package dev.tokenmill.jobs.sweep;

import dev.tokenmill.train.TrainConfig;
import dev.tokenmill.train.model.ModelConfig;
import java.io.Serializable;
import java.util.Map;

/**
 * One proxy run of a sweep, shipped to its Spark task: the model and training settings, the data (Megatron exports
 * of tokenize tables: one trained on whole, or several with weights drawn by {@link SourceMix}), the tables it is
 * evaluated on, and where it writes its run folder and its result.
 */
record SweepRun(
        String id,
        String name,
        long seed,
        String data,
        Map<String, String> dataPrefixes,
        Map<String, Double> weights,
        double maxEpochs,
        ModelConfig model,
        TrainConfig train,
        Map<String, String> evalPrefixes,
        Map<String, Long> evalBytes,
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

    /** A mixture of sources (null weights: one table, trained on whole). */
    boolean mixed() {
        return weights != null;
    }
}
