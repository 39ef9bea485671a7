package dev.tokenmill.train.infer;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.ParameterNames;
import dev.tokenmill.train.model.Section;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint loaded for inference: the whole model (the shards of any dp × pp layout merged through the
 * safetensors index, memory-mapped: no copy of the weights in the Java heap) in fp32, and the tokenizer found beside
 * it (the checkpoint folder, else its run folder).
 */
public final class CheckpointModel {
    private CheckpointModel() {}

    /**
     * The checkpoint folder for a run folder (its latest complete checkpoint, or {@code step}) or a checkpoint folder
     * given directly; a one-line {@link IllegalArgumentException} when there is none.
     */
    public static Path resolve(Path runOrCheckpoint, Long step) {
        if (Files.isRegularFile(runOrCheckpoint.resolve(Checkpoints.STATE))) {
            if (step != null) {
                throw new IllegalArgumentException(
                        "--step applies to a run folder; " + runOrCheckpoint + " is a checkpoint");
            }
            return runOrCheckpoint;
        }
        if (!Files.isDirectory(Checkpoints.root(runOrCheckpoint))) {
            throw new IllegalArgumentException(
                    runOrCheckpoint + " is neither a run folder (with checkpoints/) nor a checkpoint");
        }
        if (step != null) {
            Path at = Checkpoints.root(runOrCheckpoint).resolve(Checkpoints.dirName(step));
            if (!Files.isRegularFile(at.resolve(Checkpoints.STATE))) {
                throw new IllegalArgumentException(
                        "no complete checkpoint for step " + step + " in " + runOrCheckpoint);
            }
            return at;
        }
        Optional<Path> latest = Checkpoints.latest(runOrCheckpoint);
        return latest.orElseThrow(() -> new IllegalArgumentException("no complete checkpoint in " + runOrCheckpoint));
    }

    /** The whole model of a checkpoint, owned by {@code manager}. */
    public static LlamaModel load(Path checkpoint, NDManager manager) {
        ModelConfig config = ModelConfig.fromHuggingFace(Checkpoints.hfConfig(checkpoint));
        LlamaModel model = new LlamaModel(config, Section.of(config, 0, 1), manager, 0);
        List<String> names =
                model.specs().stream().map(ParameterNames.Spec::name).toList();
        model.loadBuffers(Checkpoints.map(checkpoint, "model", names));
        for (var p : model.parameters().values()) {
            p.setRequiresGradient(false);
        }
        JniUtils.setGradMode(false);
        return model;
    }

    /** The tokenizer.json in the checkpoint folder or its run folder, or the one given. */
    public static TextTokenizer tokenizer(Path checkpoint, Path given) {
        Path p = tokenizerFile(checkpoint, given);
        try {
            return TextTokenizer.parseJson(Files.readString(p), p.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** Where that tokenizer.json is; a one-line {@link IllegalArgumentException} when there is none. */
    public static Path tokenizerFile(Path checkpoint, Path given) {
        List<Path> candidates = given != null
                ? List.of(Files.isDirectory(given) ? given.resolve("tokenizer.json") : given)
                : List.of(
                        checkpoint.resolve("tokenizer.json"),
                        checkpoint.getParent().getParent().resolve("tokenizer.json"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no tokenizer.json at " + candidates.get(0)
                + (candidates.size() > 1 ? " or " + candidates.get(1) : "") + ": give --tokenizer DIR");
    }
}
