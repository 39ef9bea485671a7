package dev.tokenmill.train.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Log-likelihood scoring against one full forward pass computed here, on a tiny random model. */
class LogLikelihoodTest {
    private static final int WINDOW = 16;
    private static NDManager manager;
    private static LlamaModel model;

    @BeforeAll
    static void setUp() {
        ModelConfig config = ModelConfig.of(50, 2, 32, 4, 2, 64, WINDOW);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        model = new LlamaModel(config, Section.of(config, 0, 1), manager, 11);
    }

    @AfterAll
    static void tearDown() {
        model.close();
        manager.close();
    }

    private static int[] tokens(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1 + random.nextInt(49);
        }
        return t;
    }

    /** log p(seq[k+1] | seq[..k]) for every k, from one forward pass over {@code seq[:-1]}. */
    private static double[] reference(int[] seq) {
        JniUtils.setGradMode(false);
        int t = seq.length - 1;
        long[] in = new long[t];
        for (int i = 0; i < t; i++) {
            in[i] = seq[i];
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logp = model.forward(manager.create(in, new Shape(1, t))).logSoftmax(-1);
            float[] all = logp.toFloatArray();
            double[] out = new double[t];
            for (int i = 0; i < t; i++) {
                out[i] = all[i * 50 + seq[i + 1]];
            }
            return out;
        }
    }

    @Test
    void continuationScoreIsTheSumOfItsTokensLogProbabilities() {
        int[] seq = tokens(12, 1);
        double[] ref = reference(seq);
        double expected = ref[7] + ref[8] + ref[9] + ref[10];
        LogLikelihood.Score s = new LogLikelihood(model, 4096)
                .score(List.of(new LogLikelihood.Request(
                        java.util.Arrays.copyOf(seq, 8), java.util.Arrays.copyOfRange(seq, 8, 12))))
                .get(0);
        assertEquals(expected, s.logLikelihood(), 1e-4);
        assertEquals(4, s.tokens());
    }

    @Test
    void rollingWindowsPredictEveryTokenOnceWithTheLongestContextThatFits() {
        int[] doc = tokens(40, 2);
        List<LogLikelihood.Request> windows = LogLikelihood.rollingWindows(doc, 0, WINDOW);
        List<Integer> predicted = new ArrayList<>();
        for (LogLikelihood.Request w : windows) {
            for (int t : w.continuation()) {
                predicted.add(t);
            }
            int input = w.context().length + w.continuation().length - 1;
            // every window after the first reads a full window (or the whole document before it)
            assertEquals(w == windows.get(0) ? Math.min(WINDOW, doc.length) : WINDOW, Math.min(WINDOW, input));
        }
        assertArrayEquals(doc, predicted.stream().mapToInt(Integer::intValue).toArray());
        assertEquals(
                List.of(16, 16, 8),
                windows.stream().map(w -> w.continuation().length).toList());

        // a document that fits the window: the rolling score is one forward pass over [prefix] + doc[:-1]
        int[] small = tokens(10, 3);
        int[] withPrefix = new int[11];
        System.arraycopy(small, 0, withPrefix, 1, 10);
        double expected = java.util.Arrays.stream(reference(withPrefix)).sum();
        double got = new LogLikelihood(model, 4096)
                .score(LogLikelihood.rollingWindows(small, 0, WINDOW))
                .get(0)
                .logLikelihood();
        assertEquals(expected, got, 1e-4);
    }

    @Test
    void batchingAndPaddingChangeNoScore() {
        List<LogLikelihood.Request> requests = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            int[] seq = tokens(3 + 3 * i, 10 + i);
            int split = seq.length - 1 - i % 5; // long contexts are cut on the left to the window
            requests.add(new LogLikelihood.Request(
                    java.util.Arrays.copyOf(seq, split), java.util.Arrays.copyOfRange(seq, split, seq.length)));
        }
        List<LogLikelihood.Score> batched = new LogLikelihood(model, 64).score(requests);
        for (int i = 0; i < requests.size(); i++) {
            LogLikelihood.Score alone =
                    new LogLikelihood(model, 1).score(List.of(requests.get(i))).get(0);
            assertEquals(alone.logLikelihood(), batched.get(i).logLikelihood(), 1e-4, "request " + i);
        }
    }

    @Test
    void aContinuationLongerThanTheWindowIsRefused() {
        var r = new LogLikelihood.Request(new int[] {1}, tokens(WINDOW + 1, 4));
        assertThrows(IllegalArgumentException.class, () -> new LogLikelihood(model, 4096).score(List.of(r)));
    }
}
