package dev.tokenmill.jobs.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.train.infer.CheckpointModel;
import dev.tokenmill.train.model.LlamaModel;
import java.nio.file.Path;

/**
 * The checkpoint a JVM evaluates, loaded once and shared by its tasks (inference reads the weights only; grad mode
 * is set per thread). Asking for another checkpoint releases the previous one, so evaluating every checkpoint of a
 * run holds one model at a time.
 */
public final class ExecutorModels {
    public record Loaded(String checkpoint, LlamaModel model, TextTokenizer tokenizer) {}

    private static Loaded loaded;
    private static NDManager manager;

    private ExecutorModels() {}

    public static synchronized Loaded get(String checkpoint, String tokenizerFile) {
        if (loaded != null && loaded.checkpoint().equals(checkpoint)) {
            return loaded;
        }
        release();
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        LlamaModel model = CheckpointModel.load(Path.of(checkpoint), manager);
        TextTokenizer tokenizer = CheckpointModel.tokenizer(Path.of(checkpoint), Path.of(tokenizerFile));
        loaded = new Loaded(checkpoint, model, tokenizer);
        return loaded;
    }

    public static synchronized void release() {
        if (loaded != null) {
            loaded.model().close();
            manager.close();
            loaded = null;
            manager = null;
        }
    }
}
