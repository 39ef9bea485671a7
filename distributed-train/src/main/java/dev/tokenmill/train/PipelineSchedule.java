package dev.tokenmill.train;

import dev.tokenmill.train.dist.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The order in which one pipeline stage runs the forwards and backwards of a step's micro-batches. GPipe: all
 * forwards, then all backwards. 1F1B (PipeDream-Flush, Megatron's default): {@code pp − stage − 1} warm-up forwards,
 * then one forward and one backward in turn, then the remaining backwards, which bounds the activations a stage holds
 * to the number of stages instead of the number of micro-batches.
 */
public final class PipelineSchedule {
    /** One operation: a forward or a backward of micro-batch {@code micro}. */
    public record Op(boolean forward, int micro) {
        @Override
        public String toString() {
            return (forward ? "F" : "B") + micro;
        }
    }

    private PipelineSchedule() {}

    public static List<Op> of(Topology.Schedule schedule, int stages, int stage, int microBatches) {
        List<Op> ops = new ArrayList<>(2 * microBatches);
        if (schedule == Topology.Schedule.GPIPE) {
            for (int i = 0; i < microBatches; i++) {
                ops.add(new Op(true, i));
            }
            for (int i = 0; i < microBatches; i++) {
                ops.add(new Op(false, i));
            }
            return ops;
        }
        int warm = Math.min(stages - stage - 1, microBatches);
        for (int i = 0; i < warm; i++) {
            ops.add(new Op(true, i));
        }
        for (int i = warm; i < microBatches; i++) {
            ops.add(new Op(true, i));
            ops.add(new Op(false, i - warm));
        }
        for (int i = microBatches - warm; i < microBatches; i++) {
            ops.add(new Op(false, i));
        }
        return ops;
    }
}
