package dev.tokenmill.train.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.ckpt.SafeTensors;
import dev.tokenmill.train.dist.Collective;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.ParameterNames;
import dev.tokenmill.train.model.Section;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run folder holding step 0 of a freshly initialised model (seeded) and a tokenizer: what the decoding benchmark
 * generates from, at any shape and context, without training first (the weights do not change the speed).
 */
public final class InitCheckpoint {
    private InitCheckpoint() {}

    public static Path write(Path runDir, ModelConfig config, long seed, Path tokenizerJson) {
        try {
            Files.createDirectories(runDir);
            Files.copy(
                    tokenizerJson, runDir.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir + ": " + e.getMessage(), e);
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                LlamaModel model = new LlamaModel(config, Section.of(config, 0, 1), manager, seed);
                Collective single = Collective.single()) {
            Map<String, SafeTensors.Tensor> weights = new LinkedHashMap<>();
            for (ParameterNames.Spec s : model.specs()) {
                weights.put(
                        s.name(),
                        SafeTensors.of(
                                s.shape(), model.parameters().get(s.name()).toFloatArray()));
            }
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("step", 0);
            state.put("consumed_samples", 0);
            state.put("seed", seed);
            state.put("world", Map.of("dp", 1, "pp", 1));
            state.put("model", config.toHuggingFace());
            Checkpoints.save(runDir, 0, 0, 1, weights, Map.of(), config.toHuggingFace(), state, 1, single);
        } catch (Exception e) {
            throw new IllegalStateException("cannot initialise a checkpoint in " + runDir + ": " + e.getMessage(), e);
        }
        return Checkpoints.root(runDir).resolve(Checkpoints.dirName(0));
    }
}
