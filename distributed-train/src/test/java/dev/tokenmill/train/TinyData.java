package dev.tokenmill.train;

import dev.tokenmill.train.data.PackedSamples;
import dev.tokenmill.train.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Learnable synthetic sequences: each token follows from the previous by a fixed rule, with 10 % noise. */
final class TinyData {
    private TinyData() {}

    static PackedSamples samples(int count, int length, int vocab, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int[] t = new int[length];
            t[0] = rng.nextInt(vocab);
            for (int i = 1; i < length; i++) {
                t[i] = rng.nextInt(10) == 0 ? rng.nextInt(vocab) : (t[i - 1] * 7 + 3) % vocab;
            }
            out.add(t);
        }
        return PackedSamples.of(out);
    }

    /** A trainer's parameters by name, copied out. */
    static java.util.Map<String, float[]> params(Trainer t) {
        java.util.Map<String, float[]> out = new java.util.LinkedHashMap<>();
        t.model().parameters().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /** 2 layers, d 32, 4 heads over 2 KV heads (GQA), SwiGLU 64, 16 positions, 64 tokens. */
    static ModelConfig model() {
        return ModelConfig.of(64, 2, 32, 4, 2, 64, 16);
    }

    static TrainConfig train() {
        return TrainConfig.defaults()
                .withSteps(12)
                .withBatch(4, 2)
                .withSchedule(1e-2, 1e-3, 3)
                .withEval(6, 8)
                .withCheckpoints(0, 2)
                .withSeed(7);
    }
}
