package dev.tokenmill.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.train.dist.HostArrays;
import dev.tokenmill.train.dist.Topology;
import dev.tokenmill.train.model.LlamaModel;

/** Mean loss over the held-out samples, without gradients, split across the data-parallel ranks (and pipelined). */
final class Evaluator {
    private final LlamaModel model;
    private final Topology topo;
    private final Batches batches;
    private final StepCompute compute;
    private final int microBatch;

    Evaluator(LlamaModel model, Topology topo, Batches batches, StepCompute compute, int microBatch) {
        this.model = model;
        this.topo = topo;
        this.batches = batches;
        this.compute = compute;
        this.microBatch = microBatch;
    }

    double evaluate() {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            double sum = 0;
            int count = 0;
            int dpRank = topo.dpGroup().rank();
            int dpSize = topo.dpGroup().size();
            int heldOut = batches.order().heldOut();
            for (int from = dpRank * microBatch; from < heldOut; from += microBatch * dpSize) {
                int n = Math.min(microBatch, heldOut - from);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray[] batch = batches.heldOut(from, n);
                    NDArray x = topo.firstStage()
                            ? batch[0]
                            : compute.fromFloats(
                                    topo.pipe().receiveForward(),
                                    new Shape(
                                            n,
                                            model.config().seqLen(),
                                            model.config().dModel()));
                    NDArray y = model.forward(x);
                    if (topo.lastStage()) {
                        sum += HostArrays.floats(LlamaModel.loss(y, batch[1]))[0] * n;
                    } else {
                        topo.pipe().sendForward(HostArrays.floats(y));
                    }
                    count += n;
                }
            }
            if (topo.pipe() != null) {
                topo.pipe().flush();
            }
            float[] both = {topo.lastStage() ? (float) sum : 0f, topo.lastStage() ? count : 0};
            topo.dpGroup().allReduceSum(both);
            topo.ppGroup().allReduceSum(both);
            return both[0] / both[1];
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
