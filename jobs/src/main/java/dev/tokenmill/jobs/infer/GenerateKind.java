package dev.tokenmill.jobs.infer;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepSpec;
import dev.tokenmill.train.infer.SamplingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code generate} step: synthetic documents from a checkpoint. Each row of the input table is a prompt (its
 * {@code prompt_column}, or a {@code template} whose {@code {column}} placeholders the row fills: templates × a
 * table of topics); each prompt gives {@code samples_per_prompt} documents. A row's random stream is derived from
 * the recipe seed, its prompt id and its sample number, so its text depends on neither batch nor partition; every
 * row carries its prompt id, checkpoint, step, sampling settings and stream, and the lineage names the checkpoint's
 * hash. The output has {@code id} and {@code text} like any source, so clean, filter and dedup take it.
 */
public final class GenerateKind implements StepKind {
    public static final String NAME = "generate";
    static final Param<String> WHERE =
            Param.string("where", null, "SQL filter on the input rows, e.g. \"lang = 'en' and line % 100 = 0\"");
    static final Param<String> PROMPT_COLUMN =
            Param.string("prompt_column", "prompt", "the column holding each prompt (without template)");
    static final Param<String> PROMPT_EXPR = Param.string(
            "prompt_expr",
            null,
            "a Spark SQL expression giving each row's prompt (e.g. \"concat(get_json_object(meta, '$.title'), ':')\")");
    static final Param<String> TEMPLATE = Param.string(
            "template",
            null,
            "a prompt with {column} placeholders filled from each row (e.g. \"A speech about {topic}:\")");
    static final Param<Integer> SAMPLES = Param.integer("samples_per_prompt", 1, 1, 10_000, "documents per prompt");
    static final Param<Integer> MAX_NEW_TOKENS =
            Param.integer("max_new_tokens", 64, 1, 1 << 20, "tokens to generate at most per document");
    static final Param<Boolean> DO_SAMPLE = Param.bool("do_sample", true, "sample (false: greedy)");
    static final Param<Double> TEMPERATURE = Param.number("temperature", 1.0, 1e-6, 100, "logits ÷ T before sampling");
    static final Param<Integer> TOP_K = Param.integer("top_k", 0, 0, 1 << 24, "keep the k most likely tokens (0: off)");
    static final Param<Double> TOP_P = Param.number("top_p", 1.0, 1e-9, 1, "nucleus: the smallest set with this mass");
    static final Param<Double> MIN_P =
            Param.number("min_p", 0.0, 0, 1, "drop tokens below min_p × the top probability (0: off)");
    static final Param<Double> REPETITION_PENALTY = Param.number(
            "repetition_penalty", 1.0, 1e-6, 100, "CTRL penalty over tokens already in the sequence (1: off)");
    static final Param<Double> PRESENCE_PENALTY =
            Param.number("presence_penalty", 0.0, -100, 100, "subtracted once from a generated token's logit");
    static final Param<Double> FREQUENCY_PENALTY =
            Param.number("frequency_penalty", 0.0, -100, 100, "subtracted per occurrence of a generated token");
    static final Param<Integer> NO_REPEAT_NGRAM =
            Param.integer("no_repeat_ngram_size", 0, 0, 1024, "ban tokens that would repeat an n-gram (0: off)");
    static final Param<List<String>> STOP =
            Param.strings("stop", List.of(), "stop sequences: the text ends before the first one");
    static final Param<String> EOS = Param.string("eos", "<|endoftext|>", "end-of-sequence token (ends a document)");
    static final Param<Integer> BATCH_SIZE = Param.integer(
                    "batch_size", 8, 1, 4096, "prompts decoded together in a task")
            .notInOutput();
    static final ParamSet PARAMS = new ParamSet(
            NAME,
            ModelParams.CHECKPOINT,
            ModelParams.STEP,
            ModelParams.TOKENIZER,
            WHERE,
            PROMPT_COLUMN,
            PROMPT_EXPR,
            TEMPLATE,
            SAMPLES,
            MAX_NEW_TOKENS,
            DO_SAMPLE,
            TEMPERATURE,
            TOP_K,
            TOP_P,
            MIN_P,
            REPETITION_PENALTY,
            PRESENCE_PENALTY,
            FREQUENCY_PENALTY,
            NO_REPEAT_NGRAM,
            STOP,
            EOS,
            BATCH_SIZE,
            ModelParams.THREADS);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "synthetic documents from a checkpoint: a table of prompts (or a template × a table of topics) in, "
                + "generated text out, seeded per row";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        ParamValues p = spec.params();
        String checkpoint = ModelParams.checkpoint(p);
        SamplingConfig sampling = new SamplingConfig(
                        p.get(DO_SAMPLE),
                        p.get(TEMPERATURE),
                        p.get(TOP_K),
                        p.get(TOP_P),
                        p.get(MIN_P),
                        p.get(REPETITION_PENALTY),
                        p.get(PRESENCE_PENALTY),
                        p.get(FREQUENCY_PENALTY),
                        p.get(NO_REPEAT_NGRAM),
                        spec.seed())
                .validate();
        String template = p.get(TEMPLATE);
        String promptExpr = p.get(PROMPT_EXPR);
        if (template != null && promptExpr != null) {
            throw new IllegalArgumentException("give template or prompt_expr, not both");
        }
        List<String> columns = new ArrayList<>(List.of(spec.idColumn()));
        if (promptExpr == null) {
            columns.addAll(template == null ? List.of(p.get(PROMPT_COLUMN)) : PromptTemplate.columns(template));
        }
        SyntheticData.Settings settings = new SyntheticData.Settings(
                spec.idColumn(),
                promptExpr == null ? p.get(PROMPT_COLUMN) : SyntheticData.EXPR_COLUMN,
                template,
                p.get(SAMPLES),
                p.get(MAX_NEW_TOKENS),
                sampling,
                p.get(STOP),
                p.get(EOS),
                p.get(BATCH_SIZE),
                p.get(ModelParams.THREADS) == null ? 0 : p.get(ModelParams.THREADS));
        TableLocation input = spec.input();
        TableLocation output = spec.output();
        return new DeclaredStep(List.of(input), new Output.Table(output, null), p.config(), columns, true) {
            private ModelRef model;

            @Override
            public List<String> files() {
                return List.of(checkpoint);
            }

            @Override
            public String label(StepRun run) {
                return NAME + " " + checkpoint + " × " + input.name() + "@" + run.version(input) + " → "
                        + output.name();
            }

            @Override
            public Map<String, Object> stamps(StepRun run) {
                model = new ModelRef(
                        run.lake(), checkpoint, p.get(ModelParams.STEP), false, p.get(ModelParams.TOKENIZER));
                return Map.of("checkpoints", model.stamps());
            }

            @Override
            public void run(StepRun run) {
                SyntheticData.Result r;
                try {
                    r = SyntheticData.generate(
                            run.lake(),
                            SyntheticData.withPrompt(
                                    dev.tokenmill.jobs.lake.SqlFilter.apply(run.read(input), p.get(WHERE), "where"),
                                    promptExpr),
                            model,
                            checkpoint,
                            settings);
                } catch (IllegalArgumentException e) {
                    throw new UserError(NAME + ": " + e.getMessage());
                }
                Lineage l;
                try {
                    Map<String, Object> results = new LinkedHashMap<>();
                    results.put("checkpoint_step", r.step());
                    l = run.commitTable(output, r.rows(), r.prompts(), r.documents(), r.counters(), results);
                } finally {
                    r.rows().unpersist();
                }
                run.say(String.format(
                        "%s@%d: %,d prompts → %,d documents, %,d tokens (%s) in %.1f s",
                        label(run),
                        run.lake().latestVersion(output),
                        r.prompts(),
                        r.documents(),
                        l.counters().getOrDefault("tokens", 0L),
                        SyntheticData.finishSummary(l.counters()),
                        run.seconds()));
            }
        };
    }
}
