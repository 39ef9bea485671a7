package dev.tokenmill.train.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.Section;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** acc and acc_norm recomputed by hand from the per-choice log-likelihoods, and the harness's context/continuation split. */
class MultipleChoiceTest {
    private static NDManager manager;
    private static TextTokenizer tokenizer;
    private static LlamaModel model;

    @BeforeAll
    static void setUp() {
        tokenizer = TinyTokenizer.train(300);
        ModelConfig config = ModelConfig.of(tokenizer.vocabSize(), 2, 32, 4, 2, 64, 48);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        model = new LlamaModel(config, Section.of(config, 0, 1), manager, 5);
    }

    @AfterAll
    static void tearDown() {
        model.close();
        manager.close();
    }

    @Test
    void contextAndContinuationSplitAsTheHarnessDoes() {
        int eos = tokenizer.id("<|endoftext|>");
        LogLikelihood.Request r = MultipleChoice.request(tokenizer, "The cat sat on the ", "mat", eos);
        // the context's trailing space moves to the continuation: " mat" is one pre-token, as in running text
        assertArrayEquals(tokenizer.encode("The cat sat on the"), r.context());
        assertArrayEquals(tokenizer.encode(" mat"), r.continuation());
        LogLikelihood.Request empty = MultipleChoice.request(tokenizer, "", " the dog", eos);
        assertArrayEquals(new int[] {eos}, empty.context());
    }

    @Test
    void accuracyPicksTheMostLikelyChoiceAndAccNormDividesByItsCharacters() {
        List<MultipleChoice.Item> items = List.of(
                new MultipleChoice.Item("The cat sat on the", List.of("mat.", "log.", "dog and a cat met"), 0),
                new MultipleChoice.Item("A dog", List.of("sat", "met on the mat by the log", "cat", "the"), 2),
                new MultipleChoice.Item("On the log", List.of("the cat sat.", "a dog."), 1));
        LogLikelihood scorer = new LogLikelihood(model, 256);
        int eos = tokenizer.id("<|endoftext|>");
        MultipleChoice.Result got = MultipleChoice.evaluate(items, tokenizer, scorer, eos);

        double acc = 0;
        double accNorm = 0;
        for (MultipleChoice.Item item : items) {
            double[] ll = item.choices().stream()
                    .mapToDouble(
                            c -> scorer.score(List.of(MultipleChoice.request(tokenizer, item.context(), " " + c, eos)))
                                    .get(0)
                                    .logLikelihood())
                    .toArray();
            int best = IntStream.range(0, ll.length)
                    .reduce((a, b) -> ll[b] > ll[a] ? b : a)
                    .getAsInt();
            int bestNorm = IntStream.range(0, ll.length)
                    .reduce((a, b) -> ll[b] / item.choices().get(b).length()
                                    > ll[a] / item.choices().get(a).length()
                            ? b
                            : a)
                    .getAsInt();
            acc += best == item.label() ? 1 : 0;
            accNorm += bestNorm == item.label() ? 1 : 0;
        }
        assertEquals(3, got.items());
        assertEquals(acc / 3, got.acc(), 1e-12);
        assertEquals(accNorm / 3, got.accNorm(), 1e-12);
        assertEquals((1 / 3.0 + 1 / 4.0 + 1 / 2.0) / 3, got.chance(), 1e-12);
        double p = got.acc();
        assertEquals(Math.sqrt(p * (1 - p) * 3 / 2 / 3), got.accStderr(), 1e-12);
    }

    @Test
    void anItemWithoutItsLabelAmongTheChoicesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MultipleChoice.Item("x", List.of("a", "b"), 2));
        assertThrows(IllegalArgumentException.class, () -> new MultipleChoice.Item("x", List.of("a"), 0));
    }
}
