package dev.tokenmill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.dist.Collective;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fp16 parameters and activations, fp32 master weights, dynamic loss scaling — run on CPU with a tiny model. */
class MixedPrecisionTest {
    @TempDir
    Path dir;

    private Trainer trainer(TrainConfig cfg, Path run) {
        return new Trainer(
                TinyData.model(),
                cfg,
                TinyData.samples(96, 17, 64, 3),
                run,
                Collective.single(),
                new PrintWriter(new StringWriter()),
                Map.of(),
                0,
                Device.cpu());
    }

    @Test
    void fp16TracksFp32AndCheckpointsMasterWeights() {
        List<Double> fp32;
        try (Trainer t = trainer(TinyData.train(), dir.resolve("fp32"))) {
            fp32 = t.run(false).losses();
        }
        Path run = dir.resolve("fp16");
        try (Trainer t = trainer(TinyData.train().withFp16(true).withCheckpoints(12, 1), run)) {
            List<Double> fp16 = t.run(false).losses();
            assertTrue(fp16.stream().allMatch(Double::isFinite), fp16.toString());
            // the first steps may overflow at the initial scale (skipped, scale halved), as with torch's GradScaler
            long skipped = t.skippedSteps();
            assertTrue(skipped <= 3, "skipped " + skipped);
            assertEquals(Trainer.MAX_LOSS_SCALE / Math.pow(2, skipped), t.lossScale());
            assertEquals(
                    fp32.get(11),
                    fp16.get(11),
                    0.25,
                    "fp16 ends near fp32 (" + skipped + " skipped): " + fp16 + " vs " + fp32);
            assertTrue(fp16.get(11) < fp16.get(0) - 0.5, "fp16 learns: " + fp16);
        }
        Path ckpt = Checkpoints.latest(run).orElseThrow();
        Map<String, Object> state = Checkpoints.state(ckpt);
        assertEquals("fp16", state.get("precision"));
        assertTrue(((Number) state.get("loss_scale")).doubleValue() <= Trainer.MAX_LOSS_SCALE);
        float[] masterEmbed = Checkpoints.read(ckpt, "optimizer", List.of("master.model.embed_tokens.weight"))
                .values()
                .iterator()
                .next();
        float[] weights = Checkpoints.read(ckpt, "model", List.of("model.embed_tokens.weight"))
                .values()
                .iterator()
                .next();
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                masterEmbed, weights, "the weights file holds the fp32 master weights");
    }

    @Test
    void overflowSkipsTheStepAndHalvesTheScale() {
        try (Trainer t = trainer(TinyData.train().withSteps(6).withFp16(true), dir.resolve("overflow"))) {
            t.setLossScale(65504.0 * 2); // the seed (scale / accum) is fp16's largest value: the gradients overflow
            Trainer.Result r = t.run(false);
            assertTrue(t.skippedSteps() >= 1, "skipped " + t.skippedSteps());
            assertTrue(t.lossScale() <= 65504, "scale came down to " + t.lossScale());
            assertTrue(r.losses().get(5) < r.losses().get(0), "trains once the scale fits: " + r.losses());
            assertTrue(
                    r.losses().stream().allMatch(Double::isFinite), r.losses().toString());
            t.model().parameters().values().forEach(p -> {
                try (var f = p.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)) {
                    for (float v : f.toFloatArray()) {
                        assertTrue(Float.isFinite(v));
                    }
                }
            });
        }
    }
}
