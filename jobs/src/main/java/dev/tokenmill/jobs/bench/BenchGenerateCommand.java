package dev.tokenmill.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.train.infer.InitCheckpoint;
import dev.tokenmill.train.model.ModelConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Decoding speed, whole processes as a user runs them: {@code bin/tokenmill generate} with the KV cache against the
 * same command with {@code --no-cache}, and against eager PyTorch (Debian's python3-torch) decoding the same
 * checkpoint with its own KV cache on the same threads, alternating in the same run. The model is a freshly
 * initialised checkpoint of the given shape (weights do not change the speed), the prompts are batches of equal
 * token length, decoding is greedy with no EOS (every row makes all its tokens), and the token ids of both sides are
 * compared.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Benchmark: decode tokens/s with and without the KV cache, and vs eager PyTorch (python3-torch).")
public final class BenchGenerateCommand implements Runnable {
    private static final Pattern SPECULATIVE = Pattern.compile(
            "\\[speculative: (\\d+) of (\\d+) draft tokens accepted \\(([\\d]+) %\\), (\\d+) target passes");
    private static final Pattern RATE =
            Pattern.compile("\\[([\\d,]+) prompts, ([\\d,]+) tokens generated in ([\\d.]+) s");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--tokenizer",
            defaultValue = "lake/models/tokenizers/europarl",
            description = "A folder with tokenizer.json (default: the demo's, ${DEFAULT-VALUE}).")
    Path tokenizer;

    @Option(names = "--work", defaultValue = "target/bench-generate", description = "Where the model is written.")
    Path work;

    @Option(names = "--layers", defaultValue = "4")
    int layers;

    @Option(names = "--d-model", defaultValue = "256")
    int dModel;

    @Option(names = "--heads", defaultValue = "8")
    int heads;

    @Option(names = "--kv-heads", defaultValue = "4")
    int kvHeads;

    @Option(names = "--prompt-tokens", defaultValue = "16")
    int promptTokens;

    @Option(names = "--new-tokens", split = ",", defaultValue = "256,1024")
    List<Integer> newTokens;

    @Option(names = "--batch", split = ",", defaultValue = "1,8,32")
    List<Integer> batches;

    @Option(
            names = "--no-cache-batch",
            split = ",",
            defaultValue = "1",
            description = "Batch sizes also run without the cache (it is quadratic; default ${DEFAULT-VALUE}).")
    List<Integer> noCacheBatches;

    @Option(
            names = "--draft-layers",
            defaultValue = "2",
            description = "Speculative decoding: the draft's layers (default ${DEFAULT-VALUE}; 0: skip).")
    int draftLayers;

    @Option(
            names = "--draft-d-model",
            defaultValue = "128",
            description = "The draft's width (default ${DEFAULT-VALUE}).")
    int draftDModel;

    @Option(
            names = "--lookahead",
            defaultValue = "4",
            description = "Draft tokens per target pass (default ${DEFAULT-VALUE}).")
    int lookahead;

    @Option(names = "--runs", defaultValue = "1", description = "Timed runs of each side, alternating.")
    int runs;

    @Option(names = "--threads", description = "Torch threads on both sides (default: all cores).")
    Integer threads;

    @Option(names = "--python", defaultValue = "/usr/bin/python3")
    String python;

    @Override
    public void run() {
        TimedProcess.requireTime();
        PrintWriter out = spec.commandLine().getOut();
        Path json = tokenizer.resolve("tokenizer.json");
        if (!Files.exists(json)) {
            throw new UserError("no " + json + ": run bin/tokenmill demo first, or give --tokenizer DIR");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int t = threads == null ? cores : threads;
        try {
            TextTokenizer tok = TextTokenizer.parseJson(Files.readString(json), json.toString());
            int longest = newTokens.stream().mapToInt(Integer::intValue).max().orElse(256);
            int seqLen = promptTokens + longest;
            ModelConfig config = ModelConfig.of(tok.vocabSize(), layers, dModel, heads, kvHeads, ffn(dModel), seqLen)
                    .validate();
            Path runDir = work.resolve("model-" + layers + "x" + dModel + "-" + seqLen);
            Path checkpoint = InitCheckpoint.write(runDir, config, 1, json);
            out.printf(
                    "model: %,d parameters (%d layers, d_model %d, %d heads / %d kv, vocab %,d, context %d), random init; %s; "
                            + "%d threads; greedy, prompts of %d tokens, no EOS%n",
                    config.parameterCount(),
                    layers,
                    dModel,
                    heads,
                    kvHeads,
                    tok.vocabSize(),
                    seqLen,
                    TimedProcess.cpu(),
                    t,
                    promptTokens);
            out.flush();
            Map<String, String> env = Map.of("OMP_NUM_THREADS", String.valueOf(t));
            Path script = Path.of(
                    System.getProperty("tokenmill.home", "."),
                    "distributed-train/src/bench/python/llama_generate_torch.py");
            for (int n : newTokens) {
                for (int b : batches) {
                    List<int[]> prompts = prompts(tok, b, promptTokens, 7);
                    Path promptFile = Files.createTempFile("bench-generate", ".jsonl");
                    Path ours = Files.createTempFile("bench-generate-ours", ".jsonl");
                    Path theirs = Files.createTempFile("bench-generate-torch", ".json");
                    try {
                        List<String> lines = new ArrayList<>();
                        for (int i = 0; i < b; i++) {
                            lines.add(Json.write(Map.of("id", i, "prompt", tok.decode(prompts.get(i)))));
                        }
                        Files.write(promptFile, lines, StandardCharsets.UTF_8);
                        List<String> generate = new ArrayList<>(List.of(
                                TimedProcess.launcher(),
                                "generate",
                                checkpoint.toString(),
                                "--prompts",
                                promptFile.toString(),
                                "--output",
                                ours.toString(),
                                "--max-new-tokens",
                                String.valueOf(n),
                                "--batch-size",
                                String.valueOf(b),
                                "--eos",
                                "<no eos>"));
                        List<String> noCache = new ArrayList<>(generate);
                        noCache.add("--no-cache");
                        String settings = Json.write(Map.of(
                                "checkpoint",
                                checkpoint.toString(),
                                "prompts",
                                prompts,
                                "new_tokens",
                                n,
                                "threads",
                                t));
                        List<String> torch = List.of(python, script.toString(), settings);
                        for (int run = 1; run <= runs; run++) {
                            TimedProcess.Measured a = TimedProcess.run(generate, env, null);
                            List<List<Integer>> oursIds = ids(ours);
                            String line = String.format(
                                    "new %d, batch %d, run %d | bin/tokenmill generate %s, %.1f tokens/s whole process (%s in-process)",
                                    n, b, run, a.describe(), b * n / a.wall(), inProcess(a.err()));
                            if (noCacheBatches.contains(b)) {
                                TimedProcess.Measured c = TimedProcess.run(noCache, env, null);
                                boolean same = ids(ours).equals(oursIds);
                                line += String.format(
                                        " | --no-cache %s, %.1f tokens/s (%s in-process), cache speed-up %.2f× whole, same tokens %s",
                                        c.describe(), b * n / c.wall(), inProcess(c.err()), c.wall() / a.wall(), same);
                            }
                            if (Files.isExecutable(Path.of(python))) {
                                TimedProcess.Measured p = TimedProcess.run(torch, env, null, theirs);
                                JsonNode r = Json.read(Files.readString(theirs));
                                boolean same = oursIds.equals(Json.MAPPER.convertValue(
                                        r.get("tokens"),
                                        new com.fasterxml.jackson.core.type.TypeReference<List<List<Integer>>>() {}));
                                line += String.format(
                                        " | PyTorch %s %s, %.1f tokens/s (%.1f in-process), ratio tokenmill/PyTorch %.2f× whole, same tokens %s",
                                        r.get("torch").asText(),
                                        p.describe(),
                                        b * n / p.wall(),
                                        r.get("tokens_per_s").asDouble(),
                                        p.wall() / a.wall(),
                                        same);
                            }
                            out.println(line);
                            out.flush();
                        }
                    } finally {
                        Files.deleteIfExists(promptFile);
                        Files.deleteIfExists(ours);
                        Files.deleteIfExists(theirs);
                    }
                }
            }
            if (draftLayers > 0) {
                speculative(out, tok, json, config, checkpoint, env);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Speculative decoding at batch 1 and the first --new-tokens: a draft of {@code draftLayers × draftDModel} (and the
     * target as its own draft, the acceptance ceiling) against plain cached decoding, whole processes.
     */
    private void speculative(
            PrintWriter out, TextTokenizer tok, Path json, ModelConfig target, Path checkpoint, Map<String, String> env)
            throws IOException {
        ModelConfig small = ModelConfig.of(
                        tok.vocabSize(),
                        draftLayers,
                        draftDModel,
                        Math.max(1, draftDModel / 32),
                        Math.max(1, draftDModel / 64),
                        ffn(draftDModel),
                        target.seqLen())
                .validate();
        Path draft = InitCheckpoint.write(
                work.resolve("draft-" + draftLayers + "x" + draftDModel + "-" + target.seqLen()), small, 2, json);
        int n = newTokens.get(0);
        List<int[]> prompts = prompts(tok, 1, promptTokens, 7);
        Path promptFile = Files.createTempFile("bench-generate", ".jsonl");
        Path output = Files.createTempFile("bench-generate-spec", ".jsonl");
        try {
            Files.write(
                    promptFile,
                    List.of(Json.write(Map.of("id", 0, "prompt", tok.decode(prompts.get(0))))),
                    StandardCharsets.UTF_8);
            List<String> plain = List.of(
                    TimedProcess.launcher(),
                    "generate",
                    checkpoint.toString(),
                    "--prompts",
                    promptFile.toString(),
                    "--output",
                    output.toString(),
                    "--max-new-tokens",
                    String.valueOf(n),
                    "--eos",
                    "<no eos>");
            out.printf(
                    "speculative decoding, batch 1, %d new tokens, lookahead %d: draft %,d parameters (%d layers, d_model %d) for a target of %,d (%.1f× smaller)%n",
                    n,
                    lookahead,
                    small.parameterCount(),
                    draftLayers,
                    draftDModel,
                    target.parameterCount(),
                    (double) target.parameterCount() / small.parameterCount());
            for (int run = 1; run <= runs; run++) {
                TimedProcess.Measured a = TimedProcess.run(plain, env, null);
                String line = String.format("run %d | plain %s (%s in-process)", run, a.describe(), inProcess(a.err()));
                for (Path d : List.of(draft.getParent().getParent(), checkpoint)) {
                    List<String> spec = new ArrayList<>(plain);
                    spec.addAll(List.of("--draft", d.toString(), "--lookahead", String.valueOf(lookahead)));
                    TimedProcess.Measured b = TimedProcess.run(spec, env, null);
                    Matcher m = SPECULATIVE.matcher(b.err());
                    String stats = m.find()
                            ? m.group(1) + " of " + m.group(2) + " draft tokens accepted, " + m.group(4)
                                    + " target passes"
                            : "?";
                    line += String.format(
                            " | %s draft: %s (%s in-process), %s, speed-up %.2f× whole",
                            d.equals(checkpoint) ? "self" : "small",
                            b.describe(),
                            inProcess(b.err()),
                            stats,
                            a.wall() / b.wall());
                }
                out.println(line);
                out.flush();
            }
        } finally {
            Files.deleteIfExists(promptFile);
            Files.deleteIfExists(output);
        }
    }

    /** Llama's SwiGLU width: 8/3 d rounded up to a multiple of 8. */
    private static int ffn(int d) {
        return (8 * d / 3 + 7) / 8 * 8;
    }

    /** {@code b} prompts of exactly {@code length} tokens that re-encode to themselves: random word sequences. */
    static List<int[]> prompts(TextTokenizer tok, int b, int length, long seed) {
        String[] words = ("the of and to in a is that for it as was with be by on not he this are or his from at which "
                        + "but have an they you were her she there one all we can parliament commission council report "
                        + "member states european union president debate vote policy directive amendment proposal")
                .split(" ");
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>();
        for (int tries = 0; out.size() < b && tries < 1_000_000; tries++) {
            StringBuilder s = new StringBuilder();
            int[] ids = new int[0];
            while (ids.length < length) {
                s.append(s.length() == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
                ids = tok.encode(s.toString());
            }
            if (ids.length == length && java.util.Arrays.equals(tok.encode(tok.decode(ids)), ids)) {
                out.add(ids);
            }
        }
        if (out.size() < b) {
            throw new UserError("could not make " + b + " prompts of " + length + " tokens with this tokenizer");
        }
        return out;
    }

    private static List<List<Integer>> ids(Path jsonl) throws IOException {
        List<List<Integer>> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                List<Integer> ids = new ArrayList<>();
                Json.read(line).get("tokens").forEach(n -> ids.add(n.asInt()));
                out.add(ids);
            }
        }
        return out;
    }

    private static String inProcess(String err) {
        Matcher m = RATE.matcher(err);
        if (!m.find()) {
            return "?";
        }
        double tokens = Double.parseDouble(m.group(2).replace(",", ""));
        return String.format("%.1f tokens/s", tokens / Double.parseDouble(m.group(3)));
    }
}
