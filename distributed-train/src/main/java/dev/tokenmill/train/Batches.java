package dev.tokenmill.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenmill.train.data.PackedSamples;
import dev.tokenmill.train.data.SampleOrder;

/** Inputs {@code [n, T]} and targets (shifted by one), int64, for positions of the training order or the held-out set. */
final class Batches {
    private final PackedSamples data;
    private final SampleOrder order;
    private final int seqLen;
    private final NDManager manager;

    Batches(PackedSamples data, SampleOrder order, int seqLen, NDManager manager) {
        this.data = data;
        this.order = order;
        this.seqLen = seqLen;
        this.manager = manager;
    }

    SampleOrder order() {
        return order;
    }

    /** Training samples at global positions {@code from .. from+n}. */
    NDArray[] train(long from, int n) {
        return make(from, n, false);
    }

    /** Held-out samples {@code from .. from+n}. */
    NDArray[] heldOut(int from, int n) {
        return make(from, n, true);
    }

    private NDArray[] make(long from, int n, boolean heldOut) {
        int t = seqLen;
        long[] in = new long[n * t];
        long[] out = new long[n * t];
        for (int j = 0; j < n; j++) {
            int sample = heldOut ? order.heldOutSample((int) from + j) : order.at(from + j);
            int[] tokens = data.tokens(sample, t + 1);
            for (int k = 0; k < t; k++) {
                in[j * t + k] = tokens[k];
                out[j * t + k] = tokens[k + 1];
            }
        }
        return new NDArray[] {manager.create(in, new Shape(n, t)), manager.create(out, new Shape(n, t))};
    }
}
