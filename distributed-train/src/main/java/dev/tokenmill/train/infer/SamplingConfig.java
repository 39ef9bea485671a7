package dev.tokenmill.train.infer;

/**
 * How the next token is chosen, with the semantics of Hugging Face {@code generate} (docs/generation.md has each
 * formula). Logit processors, in this order: {@code repetitionPenalty} (CTRL: over every token already in the
 * sequence, prompt included, a positive logit is divided by it and a negative one multiplied), presence and
 * frequency penalties (OpenAI's: {@code logit −= frequency · count + presence · [count > 0]} over the generated
 * tokens), {@code noRepeatNgram} (a token that would repeat an n-gram of the sequence is banned). Then, when sampling,
 * the warpers: {@code temperature}, {@code topK}, {@code topP} (nucleus), {@code minP}; then a draw from the softmax.
 * Greedy ({@code doSample = false}) takes the arg-max of the processed logits (warpers do not apply, as in HF).
 */
public record SamplingConfig(
        boolean doSample,
        double temperature,
        int topK,
        double topP,
        double minP,
        double repetitionPenalty,
        double presencePenalty,
        double frequencyPenalty,
        int noRepeatNgram,
        long seed)
        implements java.io.Serializable {

    public static SamplingConfig greedy() {
        return new SamplingConfig(false, 1.0, 0, 1.0, 0.0, 1.0, 0.0, 0.0, 0, 0);
    }

    public static SamplingConfig sampling(double temperature, int topK, double topP, long seed) {
        return new SamplingConfig(true, temperature, topK, topP, 0.0, 1.0, 0.0, 0.0, 0, seed);
    }

    public SamplingConfig validate() {
        if (doSample && !(temperature > 0)) {
            throw new IllegalArgumentException(
                    "temperature must be > 0 when sampling (use greedy for 0), got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be ≥ 0 (0: off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min_p must be in [0, 1], got " + minP);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetition_penalty must be > 0 (1: off), got " + repetitionPenalty);
        }
        if (noRepeatNgram < 0) {
            throw new IllegalArgumentException("no_repeat_ngram_size must be ≥ 0 (0: off), got " + noRepeatNgram);
        }
        return this;
    }

    public SamplingConfig withSeed(long s) {
        return new SamplingConfig(
                doSample,
                temperature,
                topK,
                topP,
                minP,
                repetitionPenalty,
                presencePenalty,
                frequencyPenalty,
                noRepeatNgram,
                s);
    }
}
