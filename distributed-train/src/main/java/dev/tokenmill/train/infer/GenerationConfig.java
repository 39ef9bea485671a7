package dev.tokenmill.train.infer;

import java.util.List;

/**
 * What to generate: at most {@code maxNewTokens} per prompt, stopping at any of {@code eosTokens} (not part of the
 * text) or when the decoded text contains one of {@code stop} (the text ends before it), with {@link SamplingConfig}.
 */
public record GenerationConfig(int maxNewTokens, List<Integer> eosTokens, List<String> stop, SamplingConfig sampling) {
    public GenerationConfig validate() {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max_new_tokens must be ≥ 1, got " + maxNewTokens);
        }
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop sequence must not be empty");
            }
        }
        sampling.validate();
        return this;
    }
}
