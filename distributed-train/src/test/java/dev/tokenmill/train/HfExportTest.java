package dev.tokenmill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenmill.tokenizer.bpe.BpeModel;
import dev.tokenmill.tokenizer.bpe.BpeTrainer;
import dev.tokenmill.tokenizer.bpe.ByteLevel;
import dev.tokenmill.tokenizer.bpe.PreTokenizer;
import dev.tokenmill.tokenizer.bpe.TokenizerJson;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.ckpt.SafeTensors;
import dev.tokenmill.train.dist.Collective;
import dev.tokenmill.train.infer.CheckpointModel;
import dev.tokenmill.train.infer.Generation;
import dev.tokenmill.train.infer.GenerationConfig;
import dev.tokenmill.train.infer.Generator;
import dev.tokenmill.train.infer.HfExport;
import dev.tokenmill.train.infer.SamplingConfig;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export-hf: a checkpoint becomes a Hugging Face folder (one file, or shards with an index) holding
 * exactly the checkpoint's weights; the independent numpy Llama (src/test/python/llama_logits.py) reads the exported
 * folder and its greedy continuation, recomputed from scratch every step, equals our KV-cache greedy generation.
 */
class HfExportTest {
    @TempDir
    Path dir;

    @Test
    void exportedFolderHoldsTheWeightsAndAnIndependentGreedyLoopAgreesWithOurs() throws Exception {
        Map<String, Long> words = new HashMap<>();
        PreTokenizer pre = PreTokenizer.of("gpt2");
        for (int i = 0; i < 20; i++) {
            pre.split(
                    "the cat sat on the mat and the dog sat on the log ",
                    w -> words.merge(ByteLevel.encode(w), 1L, Long::sum));
        }
        BpeModel tokenizer = new BpeTrainer(new BpeTrainer.Options(280, 2, List.of("<|endoftext|>"), 0))
                .train(words)
                .withPreTokenizer(pre);
        ModelConfig config = ModelConfig.of(tokenizer.vocabSize(), 2, 32, 4, 2, 64, 32);
        Path run = dir.resolve("run");
        try (Trainer t = new Trainer(
                config,
                TinyData.train().withSteps(3).withCheckpoints(3, 1),
                TinyData.samples(64, 33, tokenizer.vocabSize(), 1),
                run,
                Collective.single(),
                new PrintWriter(new StringWriter()),
                Map.of(),
                0,
                Device.cpu())) {
            t.run(false);
        }
        Path ckpt = Checkpoints.latest(run).orElseThrow();
        String json = TokenizerJson.toJson(tokenizer);
        Path single = dir.resolve("hf");
        HfExport.Result r = HfExport.write(ckpt, json, "<|endoftext|>", single, Long.MAX_VALUE);
        assertTrue(r.files().contains("model.safetensors"));
        Path sharded = dir.resolve("hf-sharded");
        HfExport.Result s = HfExport.write(ckpt, json, "<|endoftext|>", sharded, 20_000);
        assertTrue(s.files().size() > r.files().size() + 1, s.files().toString());
        assertTrue(Files.exists(sharded.resolve("model.safetensors.index.json")));
        for (String f : List.of(
                "config.json",
                "generation_config.json",
                "tokenizer.json",
                "tokenizer_config.json",
                "special_tokens_map.json")) {
            assertTrue(Files.exists(single.resolve(f)), f);
        }
        assertFalse(Files.list(single).anyMatch(p -> p.getFileName().toString().startsWith("optimizer")));
        JsonNode hf = new ObjectMapper().readTree(single.resolve("config.json").toFile());
        assertEquals(tokenizer.id("<|endoftext|>"), hf.get("eos_token_id").asInt());
        assertEquals("LlamaForCausalLM", hf.get("architectures").get(0).asText());
        // the exported tensors are the checkpoint's
        try (SafeTensors.Reader reader = new SafeTensors.Reader(single.resolve("model.safetensors"))) {
            Map<String, float[]> original = Checkpoints.read(ckpt, "model", reader.names());
            for (String name : reader.names()) {
                assertArrayEquals(original.get(name), reader.read(name), name);
            }
        }

        int[] ours;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            LlamaModel model = CheckpointModel.load(ckpt, manager);
            Generation g = new Generator(model, tokenizer)
                    .generate(
                            List.of("the cat"),
                            0,
                            new GenerationConfig(8, List.of(), List.of(), SamplingConfig.greedy()),
                            null)
                    .get(0);
            ours = g.tokens();
        }
        Assumptions.assumeTrue(numpy() || System.getenv("CI") != null, "python3 with numpy is not installed");
        for (Path folder : List.of(single, sharded)) {
            List<String> cmd = new ArrayList<>(
                    List.of("python3", "src/test/python/llama_logits.py", "--greedy", "8", folder.toString()));
            for (int id : tokenizer.encode("the cat")) {
                cmd.add(Integer.toString(id));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertArrayEquals(
                    ours,
                    new ObjectMapper().readValue(out, int[].class),
                    folder.getFileName().toString());
        }
    }

    private static boolean numpy() {
        try {
            return new ProcessBuilder("python3", "-c", "import numpy").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
