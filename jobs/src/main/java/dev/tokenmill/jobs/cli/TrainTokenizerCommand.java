package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.tokenizer.TokenizerTraining;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains a byte-level BPE tokenizer on a lake table; writes a Hugging Face tokenizer.json and its lineage. */
@Command(name = "train-tokenizer", mixinStandardHelpOptions = true,
    description = "Train a byte-level BPE tokenizer (HF tokenizer.json) on a table; word counting runs on Spark.")
public final class TrainTokenizerCommand extends LakeCommand {
    @Option(names = "--input", paramLabel = "TABLE[@V]", description = "Training documents: a lake table (word counting on Spark).")
    String input;

    @Option(names = "--text-file", paramLabel = "FILE", description = "Training text from plain UTF-8 files instead of a table "
        + "(repeatable; counted line by line on all cores, without Spark, as spm_train --input and HF's train(files) read "
        + "files); --output is then a local folder.")
    List<java.nio.file.Path> textFiles;

    @Option(names = "--threads", description = "With --text-file: word-counting threads (default: all cores).")
    Integer threads;

    @Option(names = "--where", description = "SQL filter on the input, e.g. \"lang = 'en'\".")
    String where;

    @Option(names = "--output", required = true, description = "Folder, lake-relative (models/tokenizers/en) or a full path/URI.")
    String output;

    @Option(names = "--type", defaultValue = "bpe", description = "Model type: bpe (byte-level, default) or unigram (SentencePiece's algorithm; also writes tokenizer.model).")
    String type;

    @Option(names = "--limit-alphabet", defaultValue = "0", description = "BPE: only the N most frequent bytes merge (0 = all; every byte stays in the vocabulary).")
    int limitAlphabet;

    @Option(names = "--character-coverage", defaultValue = "0.9995", description = "Unigram: share of characters the alphabet must cover (default ${DEFAULT-VALUE}).")
    double characterCoverage;

    @Option(names = "--normalization", defaultValue = "nfkc", description = "Unigram: nfkc or identity (default ${DEFAULT-VALUE}).")
    String normalization;

    @Option(names = "--byte-fallback", defaultValue = "true", arity = "1", description = "Unigram: unknown characters as UTF-8 byte pieces (default ${DEFAULT-VALUE}).")
    boolean byteFallback;

    @Option(names = "--max-piece-length", defaultValue = "16", description = "Unigram: longest piece in characters (default ${DEFAULT-VALUE}).")
    int maxPieceLength;

    @Option(names = "--vocab-size", defaultValue = "32000", description = "Vocabulary size incl. special tokens and the 256 bytes (default ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--min-frequency", defaultValue = "2", description = "A pair seen fewer times is never merged (default ${DEFAULT-VALUE}).")
    int minFrequency;

    @Option(names = "--special", description = "A special token (repeatable; default <|endoftext|>).")
    List<String> special;

    @Option(names = "--pre-tokenizer", defaultValue = "gpt2", description = "gpt2, llama3 or a regex (default ${DEFAULT-VALUE}).")
    String preTokenizer;

    @Option(names = "--text-column", defaultValue = "text", description = "Text column (default ${DEFAULT-VALUE}).")
    String textColumn;

    @Override
    public void run() {
        if (!type.equals("bpe") && !type.equals("unigram")) {
            throw new UserError("--type must be bpe or unigram, got '" + type + "'");
        }
        if (!normalization.equals("nfkc") && !normalization.equals("identity")) {
            throw new UserError("--normalization must be nfkc or identity, got '" + normalization + "'");
        }
        try {
            java.util.regex.Pattern.compile(preTokenizer);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new UserError("--pre-tokenizer is not a valid regex: " + e.getDescription());
        }
        List<String> specials = special == null ? List.of("<|endoftext|>") : new ArrayList<>(special);
        TokenizerTraining.Settings settings = new TokenizerTraining.Settings(type, vocabSize, specials, minFrequency,
            preTokenizer, limitAlphabet, characterCoverage, normalization, byteFallback, maxPieceLength);
        try {
            settings.validate();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if ((input == null) == (textFiles == null || textFiles.isEmpty())) {
            throw new UserError("train-tokenizer: give either --input TABLE or --text-file FILE");
        }
        TokenizerTraining.Result result;
        String trainedOn;
        if (textFiles != null && !textFiles.isEmpty()) {
            if (where != null) {
                throw new UserError("train-tokenizer: --where filters a table; it does not apply to --text-file");
            }
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            result = TokenizerTraining.trainOnFiles(textFiles, settings, java.nio.file.Path.of(output), n);
            trainedOn = textFiles.size() + " file(s)";
        } else {
            Resolved r = resolve(input);
            result = TokenizerTraining.train(lake(), r.table(), r.version(), where, textColumn, settings, output, null);
            trainedOn = r.label();
        }
        out().printf("trained " + (type.equals("bpe") ? "byte-level BPE" : "Unigram") + " on %s: %,d words (%,d distinct), vocabulary %,d, sha256 %s (%.1f s) → %s%n",
            trainedOn, result.words(), result.distinctWords(), result.vocabSize(), result.sha256().substring(0, 12),
            result.seconds(), result.path());
        out().flush();
    }
}
