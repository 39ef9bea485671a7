package dev.tokenmill.train.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.Section;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Speculative decoding: greedy equals the target's greedy; the accept/reject rule samples the target's distribution. */
class SpeculativeDecoderTest {
    private static NDManager manager;
    private static TextTokenizer tokenizer;
    private static LlamaModel target;
    private static LlamaModel draft;
    private static final List<String> PROMPTS = List.of("The cat sat", "On the mat, the dog", "A");

    @BeforeAll
    static void setUp() {
        tokenizer = TinyTokenizer.train(300);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        ModelConfig big = ModelConfig.of(tokenizer.vocabSize(), 3, 64, 4, 2, 128, 48);
        ModelConfig small = ModelConfig.of(tokenizer.vocabSize(), 1, 32, 4, 2, 64, 48);
        target = new LlamaModel(big, Section.of(big, 0, 1), manager, 7);
        draft = new LlamaModel(small, Section.of(small, 0, 1), manager, 8);
    }

    @AfterAll
    static void tearDown() {
        target.close();
        draft.close();
        manager.close();
    }

    @Test
    void greedySpeculativeOutputIsTheTargetsGreedyOutput() {
        GenerationConfig config = new GenerationConfig(20, List.of(), List.of(), SamplingConfig.greedy());
        Generator plain = new Generator(target, tokenizer);
        for (int lookahead : new int[] {1, 3, 6}) {
            SpeculativeDecoder spec = new SpeculativeDecoder(target, draft, tokenizer, lookahead);
            for (int i = 0; i < PROMPTS.size(); i++) {
                Generation expected =
                        plain.generate(List.of(PROMPTS.get(i)), i, config, null).get(0);
                SpeculativeDecoder.Result got = spec.generate(PROMPTS.get(i), i, config);
                assertArrayEquals(expected.tokens(), got.generation().tokens(), "lookahead " + lookahead);
                assertEquals(expected.text(), got.generation().text());
                assertEquals(expected.finishReason(), got.generation().finishReason());
                for (int t = 0; t < expected.logProbs().length; t++) {
                    assertEquals(expected.logProbs()[t], got.generation().logProbs()[t], 1e-4);
                }
                assertTrue(got.targetPasses() <= 20);
            }
        }
        // the target as its own draft: every proposal is kept, lookahead + 1 tokens per target pass
        SpeculativeDecoder self = new SpeculativeDecoder(target, target, tokenizer, 4);
        SpeculativeDecoder.Result r = self.generate("The cat sat", 0, config);
        assertEquals(1.0, r.acceptanceRate(), 1e-12);
        assertEquals(4, r.targetPasses()); // 20 tokens = 5 + 5 + 5 + 5
    }

    @Test
    void acceptRejectFollowsTheTargetDistribution() {
        double[] p = {0.5, 0.3, 0.15, 0.05, 0};
        double[] q = {0.1, 0.1, 0.2, 0.3, 0.3};
        SplittableRandom random = new SplittableRandom(1);
        int n = 200_000;
        long[] counts = new long[p.length];
        for (int i = 0; i < n; i++) {
            int x = drawFrom(q, random.nextDouble());
            if (!SpeculativeDecoder.accepts(p, q, x, random.nextDouble())) {
                x = drawFrom(SpeculativeDecoder.residual(p, q), random.nextDouble());
            }
            counts[x]++;
        }
        double chi2 = 0;
        for (int k = 0; k < 4; k++) {
            double e = p[k] * n;
            chi2 += (counts[k] - e) * (counts[k] - e) / e;
        }
        assertEquals(0, counts[4], "a token the target rules out never comes out");
        assertTrue(chi2 < 16.27, "χ² with 3 degrees of freedom, p = 0.001: " + chi2);
    }

    @Test
    void sampledSpeculationIsSeededAndStopsLikeThePlainGenerator() {
        GenerationConfig config =
                new GenerationConfig(12, List.of(), List.of(), SamplingConfig.sampling(0.8, 20, 0.95, 3));
        SpeculativeDecoder spec = new SpeculativeDecoder(target, draft, tokenizer, 3);
        Generation a = spec.generate("The cat", 2, config).generation();
        Generation b = spec.generate("The cat", 2, config).generation();
        assertArrayEquals(a.tokens(), b.tokens());
        assertEquals(12, a.tokens().length);
        assertThrows(
                IllegalArgumentException.class,
                () -> spec.generate(
                        "The cat", 0, new GenerationConfig(48, List.of(), List.of(), SamplingConfig.greedy())));
    }

    private static int drawFrom(double[] p, double u) {
        double c = 0;
        for (int i = 0; i < p.length; i++) {
            c += p[i];
            if (u < c) {
                return i;
            }
        }
        return p.length - 1;
    }
}
