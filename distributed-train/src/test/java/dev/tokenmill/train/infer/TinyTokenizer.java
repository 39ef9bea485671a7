package dev.tokenmill.train.infer;

import dev.tokenmill.tokenizer.bpe.BpeModel;
import dev.tokenmill.tokenizer.bpe.BpeTrainer;
import dev.tokenmill.tokenizer.bpe.ByteLevel;
import dev.tokenmill.tokenizer.bpe.PreTokenizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real byte-level BPE tokenizer (GPT-2 pre-tokenizer, EOS) learned from two sentences: the inference tests' vocabulary. */
final class TinyTokenizer {
    private TinyTokenizer() {}

    static BpeModel train(int vocabSize) {
        Map<String, Long> words = new HashMap<>();
        PreTokenizer pre = PreTokenizer.of("gpt2");
        String text = "The cat sat on the mat. The dog sat on the log. A cat and a dog met on the mat by the log. ";
        for (int i = 0; i < 20; i++) {
            pre.split(text, w -> words.merge(ByteLevel.encode(w), 1L, Long::sum));
        }
        return new BpeTrainer(new BpeTrainer.Options(vocabSize, 2, List.of("<|endoftext|>"), 0))
                .train(words)
                .withPreTokenizer(pre);
    }
}
