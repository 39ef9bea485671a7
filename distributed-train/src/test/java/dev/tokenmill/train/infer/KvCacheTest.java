package dev.tokenmill.train.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.train.model.KvCache;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.Section;
import org.junit.jupiter.api.Test;

/** Logits decoded with the KV cache equal a full recomputation at every position, for MHA, GQA and MQA, in batches. */
class KvCacheTest {
    private static final int T = 11;

    @Test
    void cachedLogitsEqualFullRecomputationForEveryHeadLayout() {
        for (int kvHeads : new int[] {4, 2, 1}) {
            ModelConfig config = ModelConfig.of(64, 2, 32, 4, kvHeads, 64, 16);
            try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                    LlamaModel model = new LlamaModel(config, Section.of(config, 0, 1), manager, 7)) {
                JniUtils.setGradMode(false);
                long[] seq = tokens(3, T, 64);
                float[] full = full(model, manager, seq);
                // a prefill of 4 tokens, then one token at a time
                float[] cached = new float[T * 64];
                try (KvCache cache = new KvCache(config.layers())) {
                    copy(cached, 0, cached(model, manager, slice(seq, 0, 4), 0, 0, 4, cache));
                    for (int i = 4; i < T; i++) {
                        copy(cached, i, cached(model, manager, slice(seq, i, i + 1), 0, i, 1, cache));
                    }
                }
                assertClose(full, cached, "kv heads " + kvHeads);
            }
        }
    }

    @Test
    void leftPaddedRowsOfABatchGiveTheirOwnLogits() {
        ModelConfig config = ModelConfig.of(64, 2, 32, 4, 2, 64, 16);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                LlamaModel model = new LlamaModel(config, Section.of(config, 0, 1), manager, 11)) {
            JniUtils.setGradMode(false);
            long[] a = tokens(1, 9, 64);
            long[] b = tokens(2, 5, 64);
            float[] fullA = full(model, manager, a);
            float[] fullB = full(model, manager, b);
            // batch [a; pad pad pad pad b], prefill of 9, then 2 decode steps feeding each row its own next token
            int pad = 4;
            long[] batch = new long[18];
            System.arraycopy(a, 0, batch, 0, 9);
            System.arraycopy(b, 0, batch, 9 + pad, 5);
            try (KvCache cache = new KvCache(config.layers())) {
                float[] prefill = batchStep(model, manager, batch, 9, 0, new int[] {0, pad}, cache);
                for (int i = 0; i < 9; i++) {
                    assertClose(row(fullA, i), row(prefill, i), "row a position " + i);
                }
                for (int i = 0; i < 5; i++) {
                    assertClose(row(fullB, i), row(prefill, 9 + pad + i), "row b position " + i);
                }
                long[] nextA = tokens(5, 2, 64);
                long[] nextB = tokens(6, 2, 64);
                long[] longerA = concat(a, nextA);
                long[] longerB = concat(b, nextB);
                float[] fullA2 = full(model, manager, longerA);
                float[] fullB2 = full(model, manager, longerB);
                for (int s = 0; s < 2; s++) {
                    float[] out = batchStep(
                            model, manager, new long[] {nextA[s], nextB[s]}, 1, 9 + s, new int[] {0, pad}, cache);
                    assertClose(row(fullA2, 9 + s), row(out, 0), "row a decode " + s);
                    assertClose(row(fullB2, 5 + s), row(out, 1), "row b decode " + s);
                }
            }
        }
    }

    /** Logits [B·t, V] of a batch step with each row's padding masked (as Generator builds it). */
    private static float[] batchStep(
            LlamaModel model, NDManager manager, long[] tokens, int t, int past, int[] pads, KvCache cache) {
        int b = pads.length;
        int keys = past + t;
        long[] positions = new long[b * t];
        float[] bias = new float[b * t * keys];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                int at = past + i;
                positions[r * t + i] = Math.max(0, at - pads[r]);
                for (int j = 0; j < keys; j++) {
                    bias[(r * t + i) * keys + j] = j <= at && (j >= pads[r] || j == at) ? 0f : Float.NEGATIVE_INFINITY;
                }
            }
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return model.forwardCached(
                            manager.create(tokens, new Shape(b, t)),
                            manager.create(positions, new Shape(b, t)),
                            manager.create(bias, new Shape(b, 1, t, keys)),
                            cache)
                    .toFloatArray();
        }
    }

    private static float[] cached(
            LlamaModel model, NDManager manager, long[] tokens, int pad, int past, int t, KvCache cache) {
        return batchStep(model, manager, tokens, t, past, new int[] {pad}, cache);
    }

    private static float[] full(LlamaModel model, NDManager manager, long[] seq) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray in = manager.create(seq, new Shape(1, seq.length));
            return model.forward(in).toFloatArray();
        }
    }

    private static long[] tokens(long seed, int n, int vocab) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(vocab);
        }
        return out;
    }

    private static long[] slice(long[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void copy(float[] into, int position, float[] logits) {
        System.arraycopy(logits, 0, into, position * 64, logits.length);
    }

    private static float[] row(float[] logits, int position) {
        return java.util.Arrays.copyOfRange(logits, position * 64, (position + 1) * 64);
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, what + " at " + i);
        }
    }
}
