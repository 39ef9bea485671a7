package dev.tokenmill.jobs.tokenizer;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepSpec;
import java.util.List;
import java.util.Map;

/**
 * The {@code tokenize} step: a table's documents in id order, encoded with a trained tokenizer and packed into
 * samples of seq_len + 1 tokens ({@link Tokenize}). The tokenizer's SHA-256 is stamped into the fingerprint, so a
 * retrained tokenizer re-tokenizes; the tokenizer is recorded as named, so a copied lake stays up to date.
 */
public final class TokenizeStep implements StepKind {
    public static final String NAME = "tokenize";
    static final Param<String> TOKENIZER =
            Param.string("tokenizer", null, "a folder written by train-tokenizer (or its tokenizer.json); required");
    static final Param<Integer> SEQ_LEN = Param.integer(
            "seq_len",
            1024,
            1,
            1 << 20,
            "tokens per training sample (each sample holds seq_len + 1: inputs and shifted targets)");
    static final Param<String> EOS = Param.string("eos", "<|endoftext|>", "special token placed after every document");
    static final ParamSet PARAMS = new ParamSet(NAME, TOKENIZER, SEQ_LEN, EOS);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "encode a table with a trained tokenizer and pack samples of seq_len + 1 tokens, EOS between documents";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        String tokenizerName = spec.params().get(TOKENIZER);
        if (tokenizerName == null) {
            throw new IllegalArgumentException("missing parameter 'tokenizer' (a folder written by train-tokenizer)");
        }
        TableLocation input = spec.input();
        TableLocation output = spec.output();
        int seqLen = spec.params().get(SEQ_LEN);
        String eos = spec.params().get(EOS);
        Map<String, Object> config = spec.params().config();
        String idColumn = spec.idColumn();
        String textColumn = spec.textColumn();
        return new DeclaredStep(
                List.of(input), new Output.Table(output, null), config, List.of(idColumn, textColumn), false) {
            private Tokenize.Tokenizer tokenizer;

            @Override
            public List<String> files() {
                return List.of(tokenizerName.replaceAll("/tokenizer\\.json$", ""));
            }

            @Override
            public String label(StepRun run) {
                return NAME + " " + input.name() + "@" + run.version(input) + " → " + output.name();
            }

            @Override
            public Map<String, Object> stamps(StepRun run) {
                tokenizer = Tokenize.tokenizer(run.lake(), tokenizerName);
                return Map.of("tokenizer_sha256", tokenizer.sha256());
            }

            @Override
            public void run(StepRun run) {
                Tokenize.Packed packed = Tokenize.pack(
                        run.lake(),
                        run.read(input),
                        input.name() + "@" + run.version(input),
                        tokenizer,
                        seqLen,
                        eos,
                        idColumn,
                        textColumn);
                Lineage l;
                try {
                    l = run.commitTable(
                            output,
                            packed.samples(),
                            packed.documents(),
                            packed.sampleCount(),
                            packed.counters(),
                            packed.results());
                } finally {
                    packed.samples().unpersist();
                }
                run.say(String.format(
                        "%s@%d: %,d documents → %,d tokens in %,d samples of %d (+1) tokens (%,d full), "
                                + "tokenizer %s (%.1f s)",
                        label(run),
                        run.lake().latestVersion(output),
                        l.counters().get("documents"),
                        l.counters().get("tokens"),
                        l.counters().get("samples"),
                        seqLen,
                        l.counters().get("full_samples"),
                        tokenizer.sha256().substring(0, 12),
                        run.seconds()));
            }
        };
    }
}
