package dev.tokenmill.train.infer;

import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.data.PackedSamples;
import dev.tokenmill.train.data.SampleOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The held-out windows a run evaluated while training, as log-likelihood requests: the run's own copy of its data
 * ({@code RUN/data/TABLE@VERSION.bin/.idx}), cut into windows of the model's length, of which the trainer keeps the
 * last {@code eval_samples} out of training ({@link SampleOrder}). Scoring every target token of these windows
 * gives the trainer's held-out loss.
 */
public final class HeldOutWindows {
    private HeldOutWindows() {}

    /**
     * The requests (none when the run held nothing out), and where the data came from ({@code TABLE@VERSION}); an
     * {@link IllegalArgumentException} if the data is gone.
     */
    public record Windows(String data, List<LogLikelihood.Request> requests) {}

    @SuppressWarnings("unchecked")
    public static Windows of(Path checkpoint) {
        Map<String, Object> state = Checkpoints.state(checkpoint);
        Map<String, Object> data = (Map<String, Object>) state.get("data");
        Map<String, Object> train = (Map<String, Object>) state.get("train");
        Map<String, Object> model = (Map<String, Object>) state.get("model");
        if (data == null || train == null || model == null) {
            throw new IllegalArgumentException(checkpoint + " does not record its training data");
        }
        String table = String.valueOf(data.get("table"));
        long version = ((Number) data.get("version")).longValue();
        Path runDir = checkpoint.toAbsolutePath().getParent().getParent();
        Path prefix = runDir.resolve("data").resolve(table.replace('/', '_') + "@" + version);
        if (!Files.exists(Path.of(prefix + ".idx"))) {
            throw new IllegalArgumentException("the run's training data " + prefix + ".bin/.idx is gone");
        }
        int seqLen = ((Number) model.get("max_position_embeddings")).intValue();
        int evalSamples = ((Number) train.get("eval_samples")).intValue();
        boolean evaluated = ((Number) train.get("eval_every")).intValue() > 0;
        long seed = ((Number) state.get("seed")).longValue();
        List<LogLikelihood.Request> requests = new ArrayList<>();
        try (PackedSamples samples = PackedSamples.megatron(prefix, seqLen)) {
            int heldOut = SampleOrder.heldOutCount(evalSamples, evaluated, samples.size());
            SampleOrder order = new SampleOrder(samples.size(), heldOut, seed);
            for (int i = 0; i < heldOut; i++) {
                int[] window = samples.tokens(order.heldOutSample(i), seqLen + 1);
                requests.add(
                        new LogLikelihood.Request(new int[] {window[0]}, Arrays.copyOfRange(window, 1, window.length)));
            }
        }
        return new Windows(table + "@" + version, requests);
    }
}
