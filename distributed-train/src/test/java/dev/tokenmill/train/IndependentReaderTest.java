package dev.tokenmill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.dist.Collective;
import dev.tokenmill.train.model.ModelConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A numpy implementation of Hugging Face's Llama forward pass (src/test/python/llama_logits.py) reads our
 * safetensors checkpoint through its index and must reproduce our logits. CI installs numpy; elsewhere the test is
 * skipped when python3 has no numpy.
 */
class IndependentReaderTest {
    @TempDir
    Path dir;

    @Test
    void numpyReaderReproducesOurLogits() throws Exception {
        Assumptions.assumeTrue(numpyAvailable() || System.getenv("CI") != null, "python3 with numpy is not installed");
        for (boolean tied : new boolean[] {true, false}) {
            ModelConfig model = TinyData.model().withTiedEmbeddings(tied);
            Path run = dir.resolve("run-" + tied);
            int[] prompt = {5, 38, 17, 3, 60, 41, 9};
            float[] ours;
            try (Trainer t = new Trainer(
                    model,
                    TinyData.train().withSteps(3).withCheckpoints(3, 1),
                    TinyData.samples(64, 17, 64, 1),
                    run,
                    Collective.single(),
                    new PrintWriter(new StringWriter()),
                    Map.of(),
                    0,
                    Device.cpu())) {
                t.run(false);
                JniUtils.setGradMode(false);
                long[] ids = new long[prompt.length];
                for (int i = 0; i < prompt.length; i++) {
                    ids[i] = prompt[i];
                }
                NDArray logits = t.model().forward(t.model().manager().create(ids, new Shape(1, ids.length)));
                ours = logits.toFloatArray();
                logits.close();
            }
            Path ckpt = Checkpoints.latest(run).orElseThrow();
            List<String> cmd = new ArrayList<>(List.of("python3", "src/test/python/llama_logits.py", ckpt.toString()));
            for (int p : prompt) {
                cmd.add(Integer.toString(p));
            }
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, proc.waitFor(), out);
            double[][] theirs = new ObjectMapper().readValue(out, double[][].class);
            assertEquals(prompt.length, theirs.length);
            double worst = 0;
            for (int i = 0; i < prompt.length; i++) {
                for (int v = 0; v < model.vocabSize(); v++) {
                    worst = Math.max(worst, Math.abs(theirs[i][v] - ours[i * model.vocabSize() + v]));
                }
            }
            assertTrue(worst < 1e-4, "tied=" + tied + ": largest logit difference " + worst);
            String index = Files.readString(ckpt.resolve("model.safetensors.index.json"));
            assertTrue(index.contains("model.layers.1.self_attn.k_proj.weight")
                    && index.contains("model-00001-of-00001.safetensors"));
            assertEquals(!tied, index.contains("lm_head.weight"));
        }
    }

    private static boolean numpyAvailable() {
        try {
            return new ProcessBuilder("python3", "-c", "import numpy").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
