package dev.tokenmill.jobs.cli;

import dev.tokenmill.core.ParamValues;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.FilesCommitter;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.tokenizer.TokenizerTraining;
import dev.tokenmill.jobs.tokenizer.TrainTokenizerStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains a byte-level BPE tokenizer on a lake table; writes a Hugging Face tokenizer.json and its lineage. */
@Command(
        name = "train-tokenizer",
        mixinStandardHelpOptions = true,
        description = "Train a byte-level BPE tokenizer (HF tokenizer.json) on a table; word counting runs on Spark.")
public final class TrainTokenizerCommand extends LakeCommand {
    @Option(
            names = "--input",
            paramLabel = "TABLE[@V]",
            description = "Training documents: a lake table (word counting on Spark).")
    String input;

    @Option(
            names = "--text-file",
            paramLabel = "FILE",
            description = "Training text from plain UTF-8 files instead of a table "
                    + "(repeatable; counted line by line on all cores, without Spark, as spm_train --input and HF's train(files) read "
                    + "files); --output is then a local folder.")
    List<java.nio.file.Path> textFiles;

    @Option(names = "--threads", description = "With --text-file: word-counting threads (default: all cores).")
    Integer threads;

    @Option(names = "--where", description = "SQL filter on the input, e.g. \"lang = 'en'\".")
    String where;

    @Option(
            names = "--output",
            required = true,
            description = "Folder, lake-relative (models/tokenizers/en) or a full path/URI.")
    String output;

    @Option(
            names = "--type",
            defaultValue = "bpe",
            description =
                    "Model type: bpe (byte-level, default) or unigram (SentencePiece's algorithm; also writes tokenizer.model).")
    String type;

    @Option(
            names = "--limit-alphabet",
            defaultValue = "0",
            description = "BPE: only the N most frequent bytes merge (0 = all; every byte stays in the vocabulary).")
    int limitAlphabet;

    @Option(
            names = "--character-coverage",
            defaultValue = "0.9995",
            description = "Unigram: share of characters the alphabet must cover (default ${DEFAULT-VALUE}).")
    double characterCoverage;

    @Option(
            names = "--normalization",
            defaultValue = "nfkc",
            description = "Unigram: nfkc or identity (default ${DEFAULT-VALUE}).")
    String normalization;

    @Option(
            names = "--byte-fallback",
            defaultValue = "true",
            arity = "1",
            description = "Unigram: unknown characters as UTF-8 byte pieces (default ${DEFAULT-VALUE}).")
    boolean byteFallback;

    @Option(
            names = "--max-piece-length",
            defaultValue = "16",
            description = "Unigram: longest piece in characters (default ${DEFAULT-VALUE}).")
    int maxPieceLength;

    @Option(
            names = "--vocab-size",
            defaultValue = "32000",
            description = "Vocabulary size incl. special tokens and the 256 bytes (default ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(
            names = "--min-frequency",
            defaultValue = "2",
            description = "A pair seen fewer times is never merged (default ${DEFAULT-VALUE}).")
    int minFrequency;

    @Option(names = "--special", description = "A special token (repeatable; default <|endoftext|>).")
    List<String> special;

    @Option(
            names = "--pre-tokenizer",
            defaultValue = "gpt2",
            description = "gpt2, llama3 or a regex (default ${DEFAULT-VALUE}).")
    String preTokenizer;

    @Option(names = "--text-column", defaultValue = "text", description = "Text column (default ${DEFAULT-VALUE}).")
    String textColumn;

    @Override
    public void run() {
        // the flags are the step's parameters: one parse, one validation, one config
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("where", where);
        values.put("type", type);
        values.put("vocab_size", vocabSize);
        values.put("special_tokens", special == null ? null : new ArrayList<>(special));
        values.put("min_frequency", minFrequency);
        values.put("pre_tokenizer", preTokenizer);
        values.put("limit_alphabet", limitAlphabet);
        values.put("character_coverage", characterCoverage);
        values.put("normalization", normalization);
        values.put("byte_fallback", byteFallback);
        values.put("max_piece_length", maxPieceLength);
        values.values().removeIf(java.util.Objects::isNull);
        ParamValues params;
        TokenizerTraining.Settings settings;
        try {
            params = TrainTokenizerStep.PARAMS.parse(values);
            settings = TrainTokenizerStep.settings(params);
        } catch (IllegalArgumentException e) {
            throw new UserError("train-tokenizer: " + e.getMessage());
        }
        java.time.Instant started = java.time.Instant.now();
        if ((input == null) == (textFiles == null || textFiles.isEmpty())) {
            throw new UserError("train-tokenizer: give either --input TABLE or --text-file FILE");
        }
        TokenizerTraining.Result result;
        String trainedOn;
        List<Lineage.Input> inputs = List.of();
        if (textFiles != null && !textFiles.isEmpty()) {
            if (where != null) {
                throw new UserError("train-tokenizer: --where filters a table; it does not apply to --text-file");
            }
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            result = TokenizerTraining.trainOnFiles(textFiles, settings, java.nio.file.Path.of(output), n);
            trainedOn = textFiles.size() + " file(s)";
        } else {
            Resolved r = resolve(input);
            result = TokenizerTraining.train(lake(), r.table(), r.version(), where, textColumn, settings, output);
            trainedOn = r.label();
            inputs = List.of(Lineage.Input.table(r.table().name(), r.table().path(), r.version()));
        }
        Map<String, Object> results = new LinkedHashMap<>(result.results());
        if (!result.files().isEmpty()) {
            results.put("text_files", result.files());
        }
        String folder = result.path().substring(0, result.path().lastIndexOf('/'));
        Map<String, Object> lineage = FilesCommitter.lineage(
                TrainTokenizerStep.NAME,
                null,
                inputs,
                output,
                params.config(),
                null,
                null,
                started,
                Math.round(result.seconds() * 1000),
                results);
        if (inputs.isEmpty()) {
            FilesCommitter.write(
                    folder + "/tokenmill-lineage.json", new org.apache.hadoop.conf.Configuration(), lineage);
        } else {
            FilesCommitter.write(lake(), folder + "/tokenmill-lineage.json", lineage);
        }
        out().printf(
                        "trained " + (type.equals("bpe") ? "byte-level BPE" : "Unigram")
                                + " on %s: %,d words (%,d distinct), vocabulary %,d, sha256 %s (%.1f s) → %s%n",
                        trainedOn,
                        result.words(),
                        result.distinctWords(),
                        result.vocabSize(),
                        result.sha256().substring(0, 12),
                        result.seconds(),
                        result.path());
        out().flush();
    }
}
