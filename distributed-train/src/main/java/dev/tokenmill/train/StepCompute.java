package dev.tokenmill.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.train.dist.HostArrays;
import dev.tokenmill.train.dist.Topology;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The forwards and backwards of one step's micro-batches on this rank, leaving the summed gradients in the
 * parameters: the whole model (optionally with activation recompute), or one pipeline stage in the order of its
 * {@link PipelineSchedule}, activations sent forward and their gradients back through the topology's pipe.
 */
final class StepCompute {
    private final LlamaModel model;
    private final ModelConfig shape;
    private final TrainConfig config;
    private final Topology topo;
    private final Batches batches;
    private final NDManager manager;
    private final NDArray meanSeed;

    StepCompute(LlamaModel model, TrainConfig config, Topology topo, Batches batches, NDManager manager) {
        this.model = model;
        this.shape = model.config();
        this.config = config;
        this.topo = topo;
        this.batches = batches;
        this.manager = manager;
        // a tensor kept alive, never a Java number: backward may read it after the call returns (djl-notes trap 1)
        this.meanSeed = manager.full(new Shape(), 1f / config.accumulation(), DataType.FLOAT32, manager.getDevice());
    }

    /** Runs the micro-batches of the rank's share starting at {@code mine}; returns the sum of their losses (0 off the last stage). */
    double run(long mine, double lossScale) {
        if (topo.pp() > 1) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                return pipeline(mine, lossScale);
            }
        }
        double lossSum = 0;
        int mb = config.microBatch();
        for (int micro = 0; micro < config.accumulation(); micro++) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray[] batch = batches.train(mine + (long) micro * mb, mb);
                lossSum += config.recompute()
                        ? recomputed(batch[0], batch[1], lossScale)
                        : plain(batch[0], batch[1], lossScale);
            }
        }
        return lossSum;
    }

    /** The gradient fed to backward at the loss: 1/accum, times the loss scale in fp16 runs (in the model's type). */
    private NDArray seed(double lossScale) {
        if (model.dtype() == DataType.FLOAT32) {
            return meanSeed;
        }
        return manager.full(
                new Shape(), (float) (lossScale / config.accumulation()), model.dtype(), manager.getDevice());
    }

    private double plain(NDArray input, NDArray targets, double lossScale) {
        NDArray loss = LlamaModel.loss(model.forward(input), targets);
        JniUtils.backward((PtNDArray) loss, (PtNDArray) seed(lossScale), false, false);
        return HostArrays.floats(loss)[0];
    }

    /**
     * Activation recompute: a no-grad forward keeps only each layer's input; backward then walks down the layers,
     * recomputing one layer with grad at a time and passing the input's gradient to the layer below.
     */
    private double recomputed(NDArray input, NDArray targets, double lossScale) {
        List<NDArray> inputs = new ArrayList<>();
        JniUtils.setGradMode(false);
        NDArray h;
        try {
            h = model.embed(input);
            for (int i = 0; i < shape.layers(); i++) {
                inputs.add(h);
                h = model.block(h, i);
            }
        } finally {
            JniUtils.setGradMode(true);
        }
        h.setRequiresGradient(true);
        NDArray loss = LlamaModel.loss(model.logits(h), targets);
        JniUtils.backward((PtNDArray) loss, (PtNDArray) seed(lossScale), false, false);
        NDArray upstream = h.getGradient().duplicate();
        for (int i = shape.layers() - 1; i >= 0; i--) {
            NDArray x = inputs.get(i);
            x.setRequiresGradient(true);
            NDArray y = model.block(x, i);
            JniUtils.backward((PtNDArray) y, (PtNDArray) upstream, false, false);
            upstream = x.getGradient().duplicate();
        }
        NDArray e = model.embed(input);
        JniUtils.backward((PtNDArray) e, (PtNDArray) upstream, false, false);
        return HostArrays.floats(loss)[0];
    }

    /**
     * This stage's part of the step. A stage's input gradient goes back to the previous stage; the tied embedding's
     * two copies get their gradients summed after the step ({@link GradientSync}).
     */
    private double pipeline(long mine, double lossScale) {
        int m = config.accumulation();
        int mb = config.microBatch();
        NDArray[] inputs = new NDArray[m];
        NDArray[] outputs = new NDArray[m];
        double lossSum = 0;
        for (PipelineSchedule.Op op : PipelineSchedule.of(topo.schedule(), topo.pp(), topo.stage(), m)) {
            int i = op.micro();
            if (op.forward()) {
                NDArray[] batch = batches.train(mine + (long) i * mb, mb);
                NDArray x = topo.firstStage() ? batch[0] : received(new Shape(mb, shape.seqLen(), shape.dModel()));
                NDArray y = model.forward(x);
                if (topo.lastStage()) {
                    y = LlamaModel.loss(y, batch[1]);
                    lossSum += HostArrays.floats(y)[0];
                } else {
                    topo.pipe().sendForward(HostArrays.floats(y));
                }
                inputs[i] = x;
                outputs[i] = y;
            } else {
                NDArray g = topo.lastStage()
                        ? seed(lossScale)
                        : fromFloats(topo.pipe().receiveBackward(), outputs[i].getShape());
                JniUtils.backward((PtNDArray) outputs[i], (PtNDArray) g, false, false);
                if (!topo.firstStage()) {
                    topo.pipe().sendBackward(HostArrays.floats(inputs[i].getGradient()));
                }
            }
        }
        topo.pipe().flush();
        return lossSum;
    }

    /** The previous stage's activations, as a leaf that collects its gradient. */
    private NDArray received(Shape shape) {
        NDArray x = fromFloats(topo.pipe().receiveForward(), shape);
        x.setRequiresGradient(true);
        return x;
    }

    /** Received values in the model's type (a stage input or a gradient from the next stage). */
    NDArray fromFloats(float[] values, Shape shape) {
        NDArray a = manager.create(values, shape);
        return model.dtype() == DataType.FLOAT32 ? a : a.toType(model.dtype(), false);
    }
}
