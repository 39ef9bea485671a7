package dev.tokenmill.train.infer;

/**
 * One prompt's result: the generated text (without the stop sequence or EOS), the generated token ids, why it ended
 * ({@code eos}, {@code stop} or {@code length}), and per token the log-probability of the chosen token under the
 * distribution it was drawn from and that distribution's entropy (nats).
 */
public record Generation(
        int index,
        String prompt,
        String text,
        int[] tokens,
        String finishReason,
        double[] logProbs,
        double[] entropies) {}
