package dev.tokenmill.train.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.Section;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generation end to end on a tiny random model and a real byte-level BPE tokenizer. */
class GeneratorTest {
    private static NDManager manager;
    private static TextTokenizer tokenizer;
    private static LlamaModel model;
    private static Generator generator;
    private static final List<String> PROMPTS = List.of("The cat sat", "On the mat, the dog", "A");

    @BeforeAll
    static void setUp() {
        tokenizer = TinyTokenizer.train(300);
        ModelConfig config = ModelConfig.of(tokenizer.vocabSize(), 2, 32, 4, 2, 64, 48);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        model = new LlamaModel(config, Section.of(config, 0, 1), manager, 3);
        generator = new Generator(model, tokenizer);
    }

    @AfterAll
    static void tearDown() {
        model.close();
        manager.close();
    }

    private static GenerationConfig greedy(int n) {
        return new GenerationConfig(n, List.of(), List.of(), SamplingConfig.greedy());
    }

    @Test
    void greedyWithTheCacheEqualsAGreedyLoopThatRecomputesEverything() {
        for (String prompt : PROMPTS) {
            Generation g =
                    generator.generate(List.of(prompt), 0, greedy(12), null).get(0);
            List<Integer> seq = new ArrayList<>();
            for (int t : tokenizer.encode(prompt)) {
                seq.add(t);
            }
            int[] expected = new int[12];
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            for (int i = 0; i < 12; i++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    long[] ids = seq.stream().mapToLong(Integer::longValue).toArray();
                    NDArray logits = model.forward(manager.create(ids, new Shape(1, ids.length)));
                    float[] last = logits.get("0, -1, :").toFloatArray();
                    int best = 0;
                    for (int v = 1; v < last.length; v++) {
                        if (last[v] > last[best]) {
                            best = v;
                        }
                    }
                    expected[i] = best;
                    seq.add(best);
                }
            }
            JniUtils.setGradMode(grad);
            assertArrayEquals(expected, g.tokens(), prompt);
            assertEquals("length", g.finishReason());
            assertEquals(tokenizer.decode(expected), g.text());
        }
    }

    @Test
    void theGeneratorWithoutItsCacheGivesTheSameBatch() {
        GenerationConfig sampled =
                new GenerationConfig(12, List.of(), List.of(), SamplingConfig.sampling(0.9, 0, 0.95, 42));
        List<Generation> cached = generator.generate(PROMPTS, 0, sampled, null);
        List<Generation> recomputed = new Generator(model, tokenizer, false).generate(PROMPTS, 0, sampled, null);
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertArrayEquals(cached.get(i).tokens(), recomputed.get(i).tokens(), PROMPTS.get(i));
        }
    }

    @Test
    void aBatchGivesEachPromptWhatItGetsAloneAndTopKOneIsGreedy() {
        GenerationConfig sampled =
                new GenerationConfig(10, List.of(), List.of(), SamplingConfig.sampling(0.9, 0, 0.95, 42));
        List<Generation> batch = generator.generate(PROMPTS, 0, sampled, null);
        for (int i = 0; i < PROMPTS.size(); i++) {
            Generation alone = generator
                    .generate(List.of(PROMPTS.get(i)), i, sampled, null)
                    .get(0);
            assertArrayEquals(alone.tokens(), batch.get(i).tokens(), PROMPTS.get(i));
        }
        assertArrayEquals(
                batch.get(0).tokens(),
                generator.generate(PROMPTS, 0, sampled, null).get(0).tokens(),
                "same seed, same text");
        GenerationConfig topOne =
                new GenerationConfig(10, List.of(), List.of(), SamplingConfig.sampling(1.0, 1, 1.0, 7));
        List<Generation> greedy = generator.generate(PROMPTS, 0, greedy(10), null);
        List<Generation> one = generator.generate(PROMPTS, 0, topOne, null);
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertArrayEquals(greedy.get(i).tokens(), one.get(i).tokens());
            assertEquals(10, one.get(i).logProbs().length);
            assertEquals(0.0, one.get(i).logProbs()[0], 1e-9, "top-k 1 leaves one token with probability 1");
        }
    }

    @Test
    void aStopSequenceAcrossTwoTokensEndsTheTextJustBeforeIt() {
        Generation full =
                generator.generate(List.of("The cat sat"), 0, greedy(20), null).get(0);
        // a stop made of the last character of one token and the first of the next
        String stop = null;
        int cut = -1;
        for (int k = 2; k < full.tokens().length - 1 && stop == null; k++) {
            String before = tokenizer.decode(java.util.Arrays.copyOf(full.tokens(), k));
            if (!before.isEmpty()
                    && before.length() < full.text().length()
                    && full.text().startsWith(before)
                    && !before.contains("\uFFFD")) {
                String candidate = full.text().substring(before.length() - 1, before.length() + 1);
                if (!candidate.contains("\uFFFD")) {
                    stop = candidate;
                    cut = full.text().indexOf(candidate);
                }
            }
        }
        assertTrue(stop != null, "a stop spanning two tokens in " + full.text());
        StringBuilder streamed = new StringBuilder();
        Generation stopped = generator
                .generate(
                        List.of("The cat sat"),
                        0,
                        new GenerationConfig(20, List.of(), List.of(stop), SamplingConfig.greedy()),
                        (row, piece) -> streamed.append(piece))
                .get(0);
        assertEquals("stop", stopped.finishReason());
        assertEquals(full.text().substring(0, cut), stopped.text());
        assertEquals(stopped.text(), streamed.toString(), "the stream never showed the stop text");
        assertFalse(streamed.toString().contains(stop));
    }

    @Test
    void beamSearchOverTheReorderedCacheEqualsBeamSearchThatRecomputesEverything() {
        int[] prompt = tokenizer.encode("On the mat");
        BeamSearch.Scorer recompute = new BeamSearch.Scorer() {
            List<int[]> beams = new ArrayList<>();

            private float[] last(int[] seq) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    long[] ids = java.util.Arrays.stream(seq).asLongStream().toArray();
                    return model.forward(manager.create(ids, new Shape(1, ids.length)))
                            .get("0, -1, :")
                            .toFloatArray();
                }
            }

            @Override
            public float[] start(int[] p) {
                beams = List.of(p);
                return last(p);
            }

            @Override
            public float[][] next(int[] parents, int[] tokens) {
                List<int[]> now = new ArrayList<>();
                float[][] out = new float[parents.length][];
                for (int i = 0; i < parents.length; i++) {
                    int[] seq = java.util.Arrays.copyOf(beams.get(parents[i]), beams.get(parents[i]).length + 1);
                    seq[seq.length - 1] = tokens[i];
                    now.add(seq);
                    out[i] = last(seq);
                }
                beams = now;
                return out;
            }
        };
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        BeamSearch.Result expected;
        try {
            expected = BeamSearch.search(recompute, prompt, 4, 1.0, false, 8, List.of(), SamplingConfig.greedy());
        } finally {
            JniUtils.setGradMode(grad);
        }
        Generation beam = generator.beamSearch("On the mat", 0, greedy(8), 4, 1.0, false);
        assertArrayEquals(expected.tokens(), beam.tokens());
        Generation one = generator.beamSearch("On the mat", 0, greedy(8), 1, 1.0, false);
        assertArrayEquals(
                generator
                        .generate(List.of("On the mat"), 0, greedy(8), null)
                        .get(0)
                        .tokens(),
                one.tokens(),
                "one beam is greedy");
    }

    @Test
    void eosEndsTheRowWithoutItsTextAndTheContextWindowIsEnforced() {
        Generation full = generator.generate(List.of("A"), 0, greedy(6), null).get(0);
        int eos = full.tokens()[3];
        Generation ended = generator
                .generate(
                        List.of("A"),
                        0,
                        new GenerationConfig(6, List.of(eos), List.of(), SamplingConfig.greedy()),
                        null)
                .get(0);
        int firstEos = 0;
        while (full.tokens()[firstEos] != eos) {
            firstEos++;
        }
        assertEquals("eos", ended.finishReason());
        assertEquals(firstEos + 1, ended.tokens().length);
        assertEquals(tokenizer.decode(java.util.Arrays.copyOf(full.tokens(), firstEos)), ended.text());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> generator.generate(List.of("The cat sat"), 0, greedy(48), null));
        assertTrue(e.getMessage().contains("exceeds the model's context of 48 tokens"), e.getMessage());
    }
}
