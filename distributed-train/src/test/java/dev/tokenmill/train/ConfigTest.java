package dev.tokenmill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokenmill.train.data.PackedSamples;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.Section;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void badShapesFailWithOneLine() {
        assertEquals(
                "n_heads (3) must divide d_model (32)",
                message(() -> ModelConfig.of(64, 2, 32, 3, 3, 64, 16).validate()));
        assertEquals(
                "n_kv_heads (3) must divide n_heads (4)",
                message(() -> ModelConfig.of(64, 2, 32, 4, 3, 64, 16).validate()));
        assertEquals(
                "n_layers must be positive, got 0",
                message(() -> ModelConfig.of(64, 0, 32, 4, 2, 64, 16).validate()));
        assertEquals(
                "the head size d_model / n_heads (3) must be even for RoPE",
                message(() -> ModelConfig.of(64, 2, 12, 4, 2, 64, 16).validate()));
        assertEquals(
                "pipeline stages (3) must be between 1 and n_layers (2)",
                message(() -> Section.of(TinyData.model(), 0, 3)));
        assertEquals(
                "lr must be positive and min_lr between 0 and lr",
                message(() -> TrainConfig.defaults().withSchedule(1e-3, 1e-2, 0).validate()));
    }

    @Test
    void missingOrTooShortDataIsNamed() throws Exception {
        assertEquals(
                "training data " + dir.resolve("nothing") + ".bin/.idx not found",
                message(() -> PackedSamples.megatron(dir.resolve("nothing"), 16)));
        Path prefix = dir.resolve("short");
        try (var w = new dev.tokenmill.tokenizer.pack.MegatronWriter(prefix, 64, 8)) {
            w.add(new int[] {1, 2, 3, 4, 5});
        }
        assertEquals(
                "training data " + prefix + " has no sample of 17 tokens or more (seq_len + 1): pack with a longer "
                        + "sequence length or lower seq_len",
                message(() -> PackedSamples.megatron(prefix, 16)));
    }

    @Test
    void pipelineSectionsSplitLayersContiguously() {
        ModelConfig c = ModelConfig.of(64, 5, 32, 4, 2, 64, 16);
        assertEquals(new Section(0, 3, true, false), Section.of(c, 0, 2));
        assertEquals(new Section(3, 5, false, true), Section.of(c, 1, 2));
        assertEquals(ModelConfig.fromHuggingFace(c.toHuggingFace()), c);
    }
}
