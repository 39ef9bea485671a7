package dev.tokenmill.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

/**
 * The keys and values of the positions decoded so far, per layer, as {@code [B, kvHeads, S, headDim]}: grouped-query
 * attention caches the key/value heads only, not their repeats. Appending concatenates along S (as Hugging Face's
 * {@code DynamicCache} does); the arrays outlive the per-step scope and are closed with the cache.
 */
public final class KvCache implements AutoCloseable {
    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(int layers) {
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    /** Positions cached so far (0 before the prefill). */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /** Adds a step's keys and values to a layer; returns the layer's full keys and values. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray fullK = keys[layer] == null ? k.duplicate() : NDArrays.concat(new NDList(keys[layer], k), 2);
        NDArray fullV = values[layer] == null ? v.duplicate() : NDArrays.concat(new NDList(values[layer], v), 2);
        NDScope.unregister(fullK, fullV);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = fullK;
        values[layer] = fullV;
        return new NDArray[] {fullK, fullV};
    }

    /** Keeps, for each new row i, the cached keys and values of old row {@code rows[i]} (beam search). */
    public void reorder(long[] rows) {
        if (keys[0] == null) {
            return;
        }
        try (NDArray index = keys[0].getManager().create(rows)) {
            for (int i = 0; i < keys.length; i++) {
                NDArray k = keys[i].get(new ai.djl.ndarray.index.NDIndex("{}", index));
                NDArray v = values[i].get(new ai.djl.ndarray.index.NDIndex("{}", index));
                NDScope.unregister(k, v);
                keys[i].close();
                values[i].close();
                keys[i] = k;
                values[i] = v;
            }
        }
    }

    /** Keeps the first {@code length} positions (speculative decoding drops the rejected draft tokens). */
    public void truncate(long length) {
        if (keys[0] == null || length >= length()) {
            return;
        }
        if (length == 0) {
            close();
            return;
        }
        for (int i = 0; i < keys.length; i++) {
            NDArray k;
            NDArray v;
            ai.djl.ndarray.index.NDIndex kept = new ai.djl.ndarray.index.NDIndex(":, :, :" + length + ", :");
            try (NDArray kView = keys[i].get(kept);
                    NDArray vView = values[i].get(kept)) {
                k = kView.duplicate();
                v = vView.duplicate();
            }
            NDScope.unregister(k, v);
            keys[i].close();
            values[i].close();
            keys[i] = k;
            values[i] = v;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
                keys[i] = null;
                values[i] = null;
            }
        }
    }
}
