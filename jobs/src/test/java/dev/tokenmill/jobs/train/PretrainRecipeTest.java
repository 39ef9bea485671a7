package dev.tokenmill.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.train.Metrics;
import dev.tokenmill.train.ckpt.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw text → tokenizer → packed table → pretrain (DP=2 barrier stage on local[2]) → checkpoint, through recipes and the CLI. */
class PretrainRecipeTest {
    @TempDir
    Path tmp;

    @Test
    void recipeTrainsResumesAndRejectsBadSettings() throws Exception {
        Path lake = tmp.resolve("lake");
        PretrainFixture.documents(lake);
        Path recipe = TestLake.write(tmp.resolve("pre.yaml"), """
            name: pre
            seed: 5
            stages:
            """ + PretrainFixture.TOKENS_STAGES + """
              - stage: pretrain
                input: tokens/t
                output: runs/t
                params: {layers: 2, d_model: 32, heads: 4, kv_heads: 2, seq_len: 32, micro_batch: 4, steps: 8,
                         warmup_steps: 2, lr: 0.01, eval_every: 4, eval_samples: 16, checkpoint_every: 4, dp: 2}
            """);
        TestLake.Run first = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().contains("steps 0 → 8"), first.out());
        Path run = lake.resolve("runs/t");
        Path ckpt = Checkpoints.latest(run).orElseThrow();
        assertEquals("step-00000008", ckpt.getFileName().toString());
        assertTrue(Files.exists(ckpt.resolve("model-00002-of-00002.safetensors"))
                && Files.exists(run.resolve("loss.png")));
        Map<String, Object> state = Checkpoints.state(ckpt);
        assertEquals(Map.of("dp", 2, "pp", 1), state.get("world"));
        assertEquals(64, ((Number) state.get("consumed_samples")).intValue());
        assertEquals(600, ((Map<?, ?>) state.get("model")).get("vocab_size"));
        List<JsonNode> metrics = Metrics.read(run);
        List<Double> losses = metrics.stream()
                .filter(n -> n.has("loss"))
                .map(n -> n.get("loss").asDouble())
                .toList();
        assertEquals(8, losses.size());
        assertTrue(losses.get(7) < losses.get(0), "loss fell: " + losses);

        // the run folder carries its tokenizer, so generate needs nothing else; a JSONL batch is seeded and repeatable
        assertTrue(Files.exists(run.resolve("tokenizer.json")));
        TestLake.Run streamed =
                TestLake.cli(lake, "generate", run.toString(), "--prompt", "the", "--max-new-tokens", "6");
        assertEquals(0, streamed.code(), streamed.err() + streamed.out());
        Path prompts = lake.resolveSibling("prompts.jsonl");
        Files.writeString(prompts, "{\"id\": \"a\", \"prompt\": \"one\"}\n{\"prompt\": \"two words\"}\n");
        List<String> outputs = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path out = lake.resolveSibling("generated-" + i + ".jsonl");
            TestLake.Run gen = TestLake.cli(
                    lake,
                    "generate",
                    "runs/t",
                    "--prompts",
                    prompts.toString(),
                    "--output",
                    out.toString(),
                    "--temperature",
                    "0.9",
                    "--top-k",
                    "20",
                    "--max-new-tokens",
                    "5",
                    "--logprobs");
            assertEquals(0, gen.code(), gen.err() + gen.out());
            outputs.add(Files.readString(out));
        }
        List<String> lines = outputs.get(0).lines().toList();
        assertEquals(2, lines.size());
        JsonNode first0 = dev.tokenmill.jobs.util.Json.read(lines.get(0));
        assertEquals("a", first0.get("id").asText());
        assertEquals("length", first0.get("finish_reason").asText());
        assertEquals(5, first0.get("tokens").size());
        assertEquals(5, first0.get("logprobs").size());
        assertEquals(outputs.get(0), outputs.get(1), "same seed, same text");
        TestLake.Run beams = TestLake.cli(
                lake, "generate", "runs/t", "--prompt", "the", "--num-beams", "3", "--max-new-tokens", "5");
        assertEquals(0, beams.code(), beams.err() + beams.out());
        TestLake.Run sampledBeams =
                TestLake.cli(lake, "generate", "runs/t", "--prompt", "the", "--num-beams", "3", "--temperature", "0.7");
        assertEquals(2, sampledBeams.code());
        assertTrue(sampledBeams.errLine().contains("beam search"), sampledBeams.errLine());
        TestLake.Run tooLong = TestLake.cli(lake, "generate", "runs/t", "--prompt", "the", "--max-new-tokens", "40");
        assertEquals(2, tooLong.code());
        assertTrue(tooLong.errLine().contains("exceeds the model's context of 32 tokens"), tooLong.errLine());

        // export-hf merges the dp-2 shards into one Hugging Face folder with the tokenizer and no optimizer state
        Path hf = lake.resolveSibling("hf");
        TestLake.Run exported = TestLake.cli(lake, "export-hf", "runs/t", "--output", hf.toString());
        assertEquals(0, exported.code(), exported.err() + exported.out());
        for (String f : List.of(
                "model.safetensors",
                "config.json",
                "generation_config.json",
                "tokenizer.json",
                "tokenizer_config.json",
                "special_tokens_map.json")) {
            assertTrue(Files.exists(hf.resolve(f)), f);
        }
        TestLake.Run exportAgain = TestLake.cli(lake, "export-hf", "runs/t", "--output", hf.toString());
        assertEquals(2, exportAgain.code(), "a non-empty folder is not overwritten unasked");
        assertTrue(exportAgain.errLine().contains("is not empty"), exportAgain.errLine());
        assertEquals(
                0,
                TestLake.cli(lake, "export-hf", "runs/t", "--output", hf.toString(), "--overwrite")
                        .code());
        JsonNode hfConfig = dev.tokenmill.jobs.util.Json.read(Files.readString(hf.resolve("config.json")));
        assertEquals(600, hfConfig.get("vocab_size").asInt());
        assertTrue(hfConfig.has("eos_token_id"), hfConfig.toString());

        // the same recipe again: up to date
        TestLake.Run again = TestLake.cli(lake, "run", recipe.toString());
        assertTrue(again.out().contains("up to date (step 8"), again.out());

        // a run killed after step 4: drop the last checkpoint; the recipe resumes and ends where the whole run did
        deleteTree(Checkpoints.root(run).resolve("step-00000008"));
        Files.writeString(Checkpoints.root(run).resolve(Checkpoints.LATEST), "step-00000004\n");
        TestLake.Run resumed = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, resumed.code(), resumed.err() + resumed.out());
        assertTrue(
                resumed.out().contains("resuming from step 4") && resumed.out().contains("steps 4 → 8"), resumed.out());
        List<Double> after = Metrics.read(run).stream()
                .filter(n -> n.has("loss"))
                .map(n -> n.get("loss").asDouble())
                .toList();
        assertEquals(losses, after, "the resumed steps 5–8 reproduce the uninterrupted ones bit for bit");

        // pipeline parallel from the CLI: two stages (GPipe) as one barrier stage of two tasks
        TestLake.Run pp = TestLake.cli(
                lake,
                "pretrain",
                "tokens/t",
                "--output",
                "runs/pp",
                "--pp",
                "2",
                "--steps",
                "2",
                "--param",
                "layers=2",
                "--param",
                "d_model=32",
                "--param",
                "seq_len=32",
                "--param",
                "micro_batch=2",
                "--param",
                "grad_accum=2",
                "--param",
                "schedule=gpipe",
                "--param",
                "eval_every=0");
        assertEquals(0, pp.code(), pp.err() + pp.out());
        assertTrue(pp.out().contains("dp 1 × pp 2 (gpipe)") && pp.out().contains("steps 0 → 2"), pp.out());
        assertEquals(
                Map.of("dp", 1, "pp", 2),
                Checkpoints.state(Checkpoints.latest(lake.resolve("runs/pp")).orElseThrow())
                        .get("world"));

        // the HTML report: tables, funnel, training; every chart an inline PNG
        Path page = tmp.resolve("report.html");
        TestLake.Run report = TestLake.cli(lake, "report", "--output", page.toString());
        assertEquals(0, report.code(), report.err() + report.out());
        String html = Files.readString(page);
        assertTrue(
                html.contains("Quality funnel")
                        && html.contains("Pretraining runs")
                        && html.contains("runs/t")
                        && html.contains("step-00000008"),
                html.substring(0, Math.min(2000, html.length())));
        var images = java.util.regex.Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"")
                .matcher(html);
        int decoded = 0;
        while (images.find()) {
            byte[] png = java.util.Base64.getDecoder().decode(images.group(1));
            assertTrue(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png))
                            .getWidth()
                    >= 800);
            decoded++;
        }
        assertTrue(decoded >= 3, "funnel, rules? and loss curves: " + decoded);
        assertTrue(!html.contains("http://") && !html.contains("https://"), "no network references");

        // user mistakes: one line, exit 2
        TestLake.Run badShape = TestLake.cli(
                lake, "pretrain", "tokens/t", "--output", "runs/x", "--param", "d_model=32", "--param", "heads=3");
        assertEquals(2, badShape.code());
        assertEquals("tokenmill: pretrain: n_heads (3) must divide d_model (32)", badShape.errLine());
        TestLake.Run slots =
                TestLake.cli(lake, "pretrain", "tokens/t", "--output", "runs/x", "--dp", "3", "--param", "d_model=32");
        assertEquals(2, slots.code());
        assertTrue(
                slots.errLine().contains("needs 3 concurrent task slots")
                        && slots.errLine().contains("Spark has 2"),
                slots.errLine());
        TestLake.Run tooManyStages = TestLake.cli(
                lake,
                "pretrain",
                "tokens/t",
                "--output",
                "runs/x",
                "--pp",
                "2",
                "--param",
                "layers=1",
                "--param",
                "d_model=32");
        assertEquals(2, tooManyStages.code());
        assertEquals(
                "tokenmill: pretrain: pipeline stages (2) must be between 1 and n_layers (1)", tooManyStages.errLine());
        assertTrue(Files.notExists(lake.resolve("runs/x/data")), "layout checks come before the data export");
        TestLake.Run notPacked = TestLake.cli(lake, "pretrain", "docs/t", "--output", "runs/x");
        assertEquals(2, notPacked.code());
        assertEquals("tokenmill: pretrain: docs/t@0 was not written by the tokenize step", notPacked.errLine());
        TestLake.Run noCheckpoint = TestLake.cli(lake, "pretrain", "tokens/t", "--output", "runs/none", "--resume");
        assertEquals(2, noCheckpoint.code());
        assertTrue(
                noCheckpoint.errLine().startsWith("tokenmill: pretrain --resume: no complete checkpoint in"),
                noCheckpoint.errLine());
    }

    private static void deleteTree(Path p) throws Exception {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
