package dev.tokenmill.train.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.tokenmill.tokenizer.bpe.TokenizerJson;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.ParameterNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint memory-mapped into the engine holds exactly the values the heap reader reads; it carries its tokenizer. */
class CheckpointModelTest {
    @TempDir
    Path tmp;

    @Test
    void mappedWeightsEqualTheStoredOnesAndTheTokenizerTravelsWithTheCheckpoint() throws Exception {
        var tokenizer = TinyTokenizer.train(280);
        Path json = Files.writeString(tmp.resolve("tokenizer.json"), TokenizerJson.toJson(tokenizer));
        ModelConfig config = ModelConfig.of(tokenizer.vocabSize(), 2, 32, 4, 2, 64, 24);
        Path checkpoint = InitCheckpoint.write(tmp.resolve("run"), config, 3, json);
        assertEquals(checkpoint, CheckpointModel.resolve(tmp.resolve("run"), null));
        assertTrue(Files.exists(checkpoint.resolve("tokenizer.json")), "the checkpoint carries the run's tokenizer");
        assertEquals(
                tokenizer.vocabSize(),
                CheckpointModel.tokenizer(checkpoint, null).vocabSize());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                LlamaModel model = CheckpointModel.load(checkpoint, manager)) {
            List<String> names =
                    model.specs().stream().map(ParameterNames.Spec::name).toList();
            Map<String, float[]> stored = Checkpoints.read(checkpoint, "model", names);
            for (String n : names) {
                assertArrayEquals(stored.get(n), model.parameters().get(n).toFloatArray(), n);
            }
        }
    }
}
