package dev.tokenmill.jobs.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.Main;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.train.infer.CheckpointModel;
import dev.tokenmill.train.infer.Generation;
import dev.tokenmill.train.infer.GenerationConfig;
import dev.tokenmill.train.infer.Generator;
import dev.tokenmill.train.infer.SamplingConfig;
import dev.tokenmill.train.infer.SpeculativeDecoder;
import dev.tokenmill.train.model.LlamaModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Samples text from a checkpoint with a KV cache (docs/generation.md has every control's formula). One prompt streams
 * its text to the terminal as it is produced; several prompts (repeated --prompt or --prompts FILE.jsonl) are
 * generated in batches and written as JSONL. No Spark: bin/tokenmill starts a plain JVM for this verb.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Generate text from a checkpoint (KV cache; greedy or sampled, HF generate's controls); no Spark.")
public final class GenerateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    CheckpointOptions target;

    @Option(names = "--prompt", description = "A prompt (repeatable).")
    List<String> prompts;

    @Option(
            names = "--prompts",
            paramLabel = "FILE.jsonl",
            description = "Prompts, one JSON object per line with " + "\"prompt\" (and optionally \"id\").")
    Path promptFile;

    @Option(names = "--output", paramLabel = "FILE.jsonl", description = "Write JSONL here (default: standard output).")
    Path output;

    @Option(
            names = "--max-new-tokens",
            defaultValue = "64",
            description = "Tokens to generate at most (default ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(
            names = "--do-sample",
            description = "Sample (implied by --temperature, --top-k, --top-p or --min-p); default greedy.")
    boolean doSample;

    @Option(names = "--greedy", description = "Greedy decoding even if sampling options are given.")
    boolean greedy;

    @Option(names = "--temperature", description = "Logits ÷ T before sampling (default 1).")
    Double temperature;

    @Option(names = "--top-k", description = "Sample among the k most probable tokens (0: off).")
    Integer topK;

    @Option(
            names = "--top-p",
            description = "Nucleus: the smallest set of tokens whose probability reaches p (1: off).")
    Double topP;

    @Option(names = "--min-p", description = "Drop tokens below min_p × the top probability (0: off).")
    Double minP;

    @Option(
            names = "--repetition-penalty",
            defaultValue = "1.0",
            description = "CTRL's penalty on tokens already in the sequence (1: off).")
    double repetitionPenalty;

    @Option(
            names = "--presence-penalty",
            defaultValue = "0",
            description = "Subtracted from a generated token's logit once.")
    double presencePenalty;

    @Option(
            names = "--frequency-penalty",
            defaultValue = "0",
            description = "Subtracted per occurrence of a generated token.")
    double frequencyPenalty;

    @Option(
            names = "--no-repeat-ngram-size",
            defaultValue = "0",
            description = "Ban tokens that would repeat an n-gram (0: off).")
    int noRepeatNgram;

    @Option(names = "--stop", description = "Stop when the text contains this (repeatable); the text ends before it.")
    List<String> stop;

    @Option(
            names = "--eos",
            defaultValue = "<|endoftext|>",
            description = "End-of-sequence token (default ${DEFAULT-VALUE}; none if the tokenizer lacks it).")
    String eos;

    @Option(
            names = "--num-beams",
            defaultValue = "1",
            description = "Beam search with this many beams (default 1: greedy or sampling).")
    int numBeams;

    @Option(
            names = "--length-penalty",
            defaultValue = "1.0",
            description = "Beam search: scores are Σ log p / length^this (default ${DEFAULT-VALUE}).")
    double lengthPenalty;

    @Option(names = "--early-stopping", description = "Beam search: stop as soon as num_beams hypotheses are finished.")
    boolean earlyStopping;

    @Option(
            names = "--no-cache",
            description =
                    "Recompute the whole sequence for every token (the decoding benchmark's baseline; same text).")
    boolean noCache;

    @Option(
            names = "--draft",
            paramLabel = "RUN|CHECKPOINT",
            description = "Speculative decoding with this smaller model of the same tokenizer: same greedy text, "
                    + "same sampling distribution, fewer target passes.")
    String draft;

    @Option(names = "--draft-step", description = "The draft run's checkpoint of this step.")
    Long draftStep;

    @Option(
            names = "--lookahead",
            defaultValue = "4",
            description = "Speculative decoding: draft tokens proposed per target pass (default ${DEFAULT-VALUE}).")
    int lookahead;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Sampling seed (default ${DEFAULT-VALUE}): same seed, same text.")
    long seed;

    @Option(
            names = "--batch-size",
            defaultValue = "8",
            description = "Prompts decoded together (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--logprobs",
            description = "JSONL: add each token's log-probability and the entropy of its distribution.")
    boolean logprobs;

    private SpeculativeDecoder speculative;

    @Override
    public void run() {
        List<Map<String, Object>> inputs = prompts();
        GenerationConfig config;
        Path checkpoint = target.checkpoint(((Main) spec.root().userObject()).lakeRoot(), "generate");
        try {
            SamplingConfig sampling = new SamplingConfig(
                    sampling(),
                    temperature == null ? 1.0 : temperature,
                    topK == null ? 0 : topK,
                    topP == null ? 1.0 : topP,
                    minP == null ? 0.0 : minP,
                    repetitionPenalty,
                    presencePenalty,
                    frequencyPenalty,
                    noRepeatNgram,
                    seed);
            config =
                    new GenerationConfig(maxNewTokens, List.of(), stop == null ? List.of() : stop, sampling).validate();
        } catch (IllegalArgumentException e) {
            throw new UserError("generate: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            TextTokenizer tok;
            LlamaModel lm;
            try {
                tok = CheckpointModel.tokenizer(checkpoint, target.tokenizer);
                lm = CheckpointModel.load(checkpoint, manager);
            } catch (IllegalArgumentException e) {
                throw new UserError("generate: " + e.getMessage());
            }
            int eosId = tok.id(eos);
            config = new GenerationConfig(
                    config.maxNewTokens(), eosId >= 0 ? List.of(eosId) : List.of(), config.stop(), config.sampling());
            Generator generator = new Generator(lm, tok, !noCache);
            if (draft != null) {
                Path draftCheckpoint = CheckpointOptions.resolve(
                        draft, draftStep, ((Main) spec.root().userObject()).lakeRoot(), "generate");
                try {
                    speculative =
                            new SpeculativeDecoder(lm, CheckpointModel.load(draftCheckpoint, manager), tok, lookahead);
                } catch (IllegalArgumentException e) {
                    throw new UserError("generate: --draft: " + e.getMessage());
                }
            }
            boolean streaming = inputs.size() == 1 && output == null;
            if (streaming) {
                Generation g = generate(generator, inputs, 0, config, (row, piece) -> {
                            out.print(piece);
                            out.flush();
                        })
                        .get(0);
                out.println();
                out.flush();
                if (!g.finishReason().equals("length")) {
                    spec.commandLine().getErr().println("[" + g.tokens().length + " tokens, " + g.finishReason() + "]");
                }
                return;
            }
            try (Writer w = output == null
                    ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                    : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                BufferedWriter lines = new BufferedWriter(w);
                long t0 = System.nanoTime();
                long generated = 0;
                for (int from = 0; from < inputs.size(); from += batchSize) {
                    List<Map<String, Object>> batch = inputs.subList(from, Math.min(inputs.size(), from + batchSize));
                    for (Generation g : generate(generator, batch, from, config, null)) {
                        lines.write(Json.write(record(batch.get(g.index() - from), g)));
                        lines.newLine();
                        generated += g.tokens().length;
                    }
                    lines.flush();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                spec.commandLine()
                        .getErr()
                        .printf(
                                "[%,d prompts, %,d tokens generated in %.2f s: %,.1f tokens/s]%n",
                                inputs.size(), generated, seconds, generated / seconds);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private boolean sampling() {
        if (greedy) {
            return false;
        }
        return doSample || temperature != null || topK != null || topP != null || minP != null;
    }

    private List<Generation> generate(
            Generator generator,
            List<Map<String, Object>> batch,
            int first,
            GenerationConfig config,
            java.util.function.BiConsumer<Integer, String> stream) {
        try {
            if (speculative != null) {
                if (numBeams > 1) {
                    throw new IllegalArgumentException("--draft and --num-beams do not combine");
                }
                List<Generation> out = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    SpeculativeDecoder.Result r =
                            speculative.generate((String) batch.get(i).get("prompt"), first + i, config);
                    if (stream != null) {
                        stream.accept(first + i, r.generation().text());
                    }
                    spec.commandLine()
                            .getErr()
                            .printf(
                                    "[speculative: %d of %d draft tokens accepted (%.0f %%), %d target passes for %d tokens]%n",
                                    r.accepted(),
                                    r.proposed(),
                                    100 * r.acceptanceRate(),
                                    r.targetPasses(),
                                    r.generation().tokens().length);
                    out.add(r.generation());
                }
                return out;
            }
            if (numBeams > 1) {
                if (config.sampling().doSample()) {
                    throw new IllegalArgumentException(
                            "beam search (--num-beams) is deterministic: drop the sampling options");
                }
                List<Generation> out = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    Generation g = generator.beamSearch(
                            (String) batch.get(i).get("prompt"),
                            first + i,
                            config,
                            numBeams,
                            lengthPenalty,
                            earlyStopping);
                    if (stream != null) {
                        stream.accept(first + i, g.text());
                    }
                    out.add(g);
                }
                return out;
            }
            return generator.generate(
                    batch.stream().map(m -> (String) m.get("prompt")).toList(), first, config, stream);
        } catch (IllegalArgumentException e) {
            throw new UserError("generate: " + e.getMessage());
        }
    }

    private Map<String, Object> record(Map<String, Object> input, Generation g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", input.get("id"));
        m.put("prompt", g.prompt());
        m.put("text", g.text());
        m.put("tokens", g.tokens());
        m.put("finish_reason", g.finishReason());
        if (logprobs) {
            m.put("logprobs", g.logProbs());
            m.put("entropies", g.entropies());
        }
        return m;
    }

    private List<Map<String, Object>> prompts() {
        if ((prompts == null || prompts.isEmpty()) == (promptFile == null)) {
            throw new UserError("generate: give --prompt TEXT (repeatable) or --prompts FILE.jsonl");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        if (prompts != null) {
            for (int i = 0; i < prompts.size(); i++) {
                out.add(Map.of("id", i, "prompt", prompts.get(i)));
            }
            return out;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(promptFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("generate: cannot read --prompts " + promptFile + ": " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.read(lines.get(i));
            } catch (RuntimeException e) {
                throw new UserError("generate: " + promptFile + " line " + (i + 1) + " is not JSON");
            }
            if (!node.path("prompt").isTextual()) {
                throw new UserError("generate: " + promptFile + " line " + (i + 1) + " has no \"prompt\" string");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", node.has("id") ? Json.MAPPER.convertValue(node.get("id"), Object.class) : out.size());
            m.put("prompt", node.get("prompt").asText());
            out.add(m);
        }
        if (out.isEmpty()) {
            throw new UserError("generate: " + promptFile + " holds no prompts");
        }
        return out;
    }
}
