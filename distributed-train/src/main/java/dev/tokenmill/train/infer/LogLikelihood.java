package dev.tokenmill.train.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.train.model.LlamaModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Log-likelihoods of continuations given contexts with the semantics of lm-evaluation-harness's
 * {@code loglikelihood} and {@code loglikelihood_rolling}: the model reads {@code (context + continuation)[:-1]},
 * cut on the left to its window, and the log-probabilities of the continuation's tokens are summed. Requests are
 * sorted by length and batched up to a token budget (right-padded: a causal model's earlier positions never see
 * the padding), which changes no score.
 */
public final class LogLikelihood {
    /** Score {@code continuation} given {@code context} (at least one token: the document's prefix token if none). */
    public record Request(int[] context, int[] continuation) {
        public Request {
            if (context.length == 0 || continuation.length == 0) {
                throw new IllegalArgumentException("a request needs a context token and a continuation token");
            }
        }
    }

    /** The summed log-probability of the continuation and how many tokens were scored. */
    public record Score(double logLikelihood, int tokens) {}

    private final LlamaModel model;
    private final int batchTokens;

    /** {@code batchTokens}: at most batch × length input tokens per forward pass (the logits take batchTokens × vocab floats). */
    public LogLikelihood(LlamaModel model, int batchTokens) {
        this.model = model;
        this.batchTokens = Math.max(1, batchTokens);
    }

    /**
     * lm-evaluation-harness's rolling windows with a context of one token: disjoint windows of at most the model's
     * length that together predict every token of {@code tokens} once, the first from {@code prefixToken}, each later
     * one with as much preceding text as fits.
     */
    public static List<Request> rollingWindows(int[] tokens, int prefixToken, int maxLength) {
        List<Request> windows = new ArrayList<>();
        if (tokens.length == 0) {
            return windows;
        }
        int first = Math.min(maxLength, tokens.length);
        windows.add(new Request(new int[] {prefixToken}, Arrays.copyOfRange(tokens, 0, first)));
        int predicted = first;
        while (predicted < tokens.length) {
            int length = Math.min(tokens.length - predicted, maxLength);
            int end = predicted + length;
            // the window's input is the maxLength tokens before `end`; the part before `predicted` is context
            int contextFrom = Math.max(0, end - maxLength - 1);
            windows.add(new Request(
                    Arrays.copyOfRange(tokens, contextFrom, predicted), Arrays.copyOfRange(tokens, predicted, end)));
            predicted = end;
        }
        return windows;
    }

    /** The scores of {@code requests}, in their order. */
    public List<Score> score(List<Request> requests) {
        int window = model.config().seqLen();
        int n = requests.size();
        Integer[] order = new Integer[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            Request r = requests.get(i);
            if (r.continuation().length > window) {
                throw new IllegalArgumentException("a continuation of " + r.continuation().length
                        + " tokens does not fit the model's context of " + window);
            }
            order[i] = i;
            lengths[i] = Math.min(window, r.context().length + r.continuation().length - 1);
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -lengths[i]).thenComparingInt(i -> i));
        Score[] scores = new Score[n];
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = model.manager().newSubManager()) {
            for (int from = 0; from < n; ) {
                int t = lengths[order[from]];
                int b = Math.max(1, Math.min(n - from, batchTokens / t));
                batch(manager, requests, Arrays.copyOfRange(order, from, from + b), t, scores);
                from += b;
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return Arrays.asList(scores);
    }

    private void batch(NDManager manager, List<Request> requests, Integer[] rows, int t, Score[] scores) {
        int b = rows.length;
        long[] input = new long[b * t];
        long[] target = new long[b * t];
        int[] scoredFrom = new int[b];
        int[] scoredTo = new int[b];
        for (int r = 0; r < b; r++) {
            Request q = requests.get(rows[r]);
            int[] all = new int[q.context().length + q.continuation().length];
            System.arraycopy(q.context(), 0, all, 0, q.context().length);
            System.arraycopy(q.continuation(), 0, all, q.context().length, q.continuation().length);
            int length = Math.min(t, all.length - 1);
            int start = all.length - 1 - length;
            for (int k = 0; k < length; k++) {
                input[r * t + k] = all[start + k];
                target[r * t + k] = all[start + k + 1];
            }
            scoredTo[r] = length;
            scoredFrom[r] = length - q.continuation().length;
        }
        float[] logp;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logits =
                    model.forward(manager.create(input, new Shape(b, t))).toType(DataType.FLOAT32, false);
            NDArray targets = manager.create(target, new Shape(b, t, 1));
            logp = logits.logSoftmax(-1).gather(targets, -1).toFloatArray();
        }
        for (int r = 0; r < b; r++) {
            double sum = 0;
            for (int k = scoredFrom[r]; k < scoredTo[r]; k++) {
                sum += logp[r * t + k];
            }
            scores[rows[r]] = new Score(sum, scoredTo[r] - scoredFrom[r]);
        }
    }
}
