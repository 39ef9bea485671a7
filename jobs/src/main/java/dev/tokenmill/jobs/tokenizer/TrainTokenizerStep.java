package dev.tokenmill.jobs.tokenizer;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
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
 * The {@code train-tokenizer} step: byte-level BPE or Unigram on a table, written to a folder ({@code tokenizer.json},
 * Unigram also {@code tokenizer.model}) with {@code tokenmill-lineage.json} beside. The verb
 * {@code tokenmill train-tokenizer} parses its flags through the same {@link #PARAMS}.
 */
public final class TrainTokenizerStep implements StepKind {
    public static final String NAME = "train-tokenizer";
    public static final Param<String> WHERE =
            Param.string("where", null, "SQL filter on the input, e.g. \"lang = 'en'\"");
    public static final Param<String> TYPE = Param.oneOf(
            "type",
            "bpe",
            List.of("bpe", "unigram"),
            "byte-level BPE, or Unigram (SentencePiece's algorithm; also writes tokenizer.model)");
    public static final Param<Integer> VOCAB_SIZE = Param.integer(
            "vocab_size", 32000, 1, 1 << 20, "vocabulary size including special tokens and the 256 bytes");
    public static final Param<List<String>> SPECIAL_TOKENS =
            Param.strings("special_tokens", List.of("<|endoftext|>"), "special tokens, given the first ids");
    public static final Param<Integer> MIN_FREQUENCY =
            Param.integer("min_frequency", 2, 1, Integer.MAX_VALUE, "BPE: a pair seen fewer times is never merged");
    public static final Param<String> PRE_TOKENIZER =
            Param.string("pre_tokenizer", "gpt2", "BPE: gpt2, llama3 or a regex");
    public static final Param<Integer> LIMIT_ALPHABET = Param.integer(
            "limit_alphabet",
            0,
            0,
            256,
            "BPE: only the N most frequent bytes merge (0: all; every byte stays in the vocabulary)");
    public static final Param<Double> CHARACTER_COVERAGE = Param.number(
            "character_coverage", 0.9995, 0.5, 1.0, "Unigram: share of characters the alphabet must cover");
    public static final Param<String> NORMALIZATION = Param.oneOf(
            "normalization", "nfkc", List.of("nfkc", "identity"), "Unigram: SentencePiece normalisation rule");
    public static final Param<Boolean> BYTE_FALLBACK =
            Param.bool("byte_fallback", true, "Unigram: unknown characters become UTF-8 byte pieces");
    public static final Param<Integer> MAX_PIECE_LENGTH =
            Param.integer("max_piece_length", 16, 1, 64, "Unigram: longest piece in characters");
    public static final ParamSet PARAMS = new ParamSet(
            NAME,
            WHERE,
            TYPE,
            VOCAB_SIZE,
            SPECIAL_TOKENS,
            MIN_FREQUENCY,
            PRE_TOKENIZER,
            LIMIT_ALPHABET,
            CHARACTER_COVERAGE,
            NORMALIZATION,
            BYTE_FALLBACK,
            MAX_PIECE_LENGTH);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a byte-level BPE or Unigram tokenizer from a table, written to a folder (output) as tokenizer.json";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    /** The training settings from parsed parameters; a bad combination throws {@link IllegalArgumentException}. */
    public static TokenizerTraining.Settings settings(ParamValues v) {
        TokenizerTraining.Settings settings = new TokenizerTraining.Settings(
                v.get(TYPE),
                v.get(VOCAB_SIZE),
                v.get(SPECIAL_TOKENS).isEmpty() ? SPECIAL_TOKENS.defaultValue() : v.get(SPECIAL_TOKENS),
                v.get(MIN_FREQUENCY),
                v.get(PRE_TOKENIZER),
                v.get(LIMIT_ALPHABET),
                v.get(CHARACTER_COVERAGE),
                v.get(NORMALIZATION),
                v.get(BYTE_FALLBACK),
                v.get(MAX_PIECE_LENGTH));
        settings.validate();
        return settings;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        TableLocation input = spec.input();
        TableLocation folder = spec.output();
        TokenizerTraining.Settings settings = settings(spec.params());
        String where = spec.params().get(WHERE);
        Map<String, Object> config = spec.params().config();
        String textColumn = spec.textColumn();
        Output.Files output = new Output.Files(
                folder.name(),
                folder.path(),
                folder.path() + "/tokenizer.json",
                folder.path() + "/tokenmill-lineage.json");
        return new DeclaredStep(List.of(input), output, config, List.of(textColumn), false) {
            @Override
            public String label(StepRun run) {
                return NAME + " " + input.name() + "@" + run.version(input) + " → " + folder.name();
            }

            @Override
            public void run(StepRun run) {
                var r = TokenizerTraining.train(
                        run.lake(), input, run.version(input), where, textColumn, settings, folder.path());
                run.commitFiles(output, r.results());
                run.say(String.format(
                        "%s: %s, %,d words (%,d distinct), vocabulary %,d, sha256 %s (%.1f s)",
                        label(run),
                        settings.type().equals("bpe") ? "byte-level BPE" : "Unigram",
                        r.words(),
                        r.distinctWords(),
                        r.vocabSize(),
                        r.sha256().substring(0, 12),
                        r.seconds()));
            }
        };
    }
}
