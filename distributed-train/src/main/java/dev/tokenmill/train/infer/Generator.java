package dev.tokenmill.train.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.train.model.KvCache;
import dev.tokenmill.train.model.LlamaModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Autoregressive generation with a {@link KvCache}: the prompts of a batch, left-padded to a common length, are run
 * through the model once (the prefill); then each step feeds one new token per row and reuses every cached key and
 * value. Padding is masked out of attention (each padding position attends only to itself, so it stays finite) and
 * each row's RoPE positions start after its padding, so a prompt gives the same logits alone or in any batch. The
 * context window is the model's {@code seq_len}: a prompt plus {@code max_new_tokens} longer than that is refused.
 */
public final class Generator {
    private static final float MASKED = Float.NEGATIVE_INFINITY;

    private final LlamaModel model;
    private final TextTokenizer tokenizer;

    private final boolean useCache;

    public Generator(LlamaModel model, TextTokenizer tokenizer) {
        this(model, tokenizer, true);
    }

    /**
     * {@code useCache = false} recomputes the whole sequence for every new token (the baseline the decoding benchmark
     * measures the cache against); the output is the same.
     */
    public Generator(LlamaModel model, TextTokenizer tokenizer, boolean useCache) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.useCache = useCache;
    }

    /**
     * Generates for each prompt. {@code firstIndex} numbers the prompts (and seeds each row's sampler: row i draws from
     * stream {@code firstIndex + i}, so a prompt's text does not depend on the batch it ran in). {@code stream}, if not
     * null, receives (row, new text) as it is produced, withholding what could still turn out to be a stop sequence.
     */
    public List<Generation> generate(
            List<String> prompts, int firstIndex, GenerationConfig config, BiConsumer<Integer, String> stream) {
        long[] streams = new long[prompts.size()];
        for (int r = 0; r < streams.length; r++) {
            streams[r] = firstIndex + r;
        }
        return generate(prompts, firstIndex, streams, config, stream);
    }

    /**
     * As {@link #generate(List, int, GenerationConfig, BiConsumer)}, with each row's random stream given: a stage
     * seeds a row by its id, so its text depends on neither its batch nor its partition.
     */
    public List<Generation> generate(
            List<String> prompts,
            int firstIndex,
            long[] streams,
            GenerationConfig config,
            BiConsumer<Integer, String> stream) {
        config.validate();
        int b = prompts.size();
        int[][] prompt = new int[b][];
        int longest = 0;
        for (int r = 0; r < b; r++) {
            prompt[r] = tokenizer.encode(prompts.get(r));
            if (prompt[r].length == 0) {
                throw new IllegalArgumentException(
                        "prompt " + (firstIndex + r) + " is empty: give at least one token of text");
            }
            longest = Math.max(longest, prompt[r].length);
        }
        int window = model.config().seqLen();
        if (longest + config.maxNewTokens() > window) {
            throw new IllegalArgumentException("a prompt of " + longest + " tokens plus max_new_tokens "
                    + config.maxNewTokens() + " exceeds the model's context of " + window
                    + " tokens: shorten the prompt or ask for fewer tokens");
        }
        Row[] rows = new Row[b];
        for (int r = 0; r < b; r++) {
            rows[r] =
                    new Row(firstIndex + r, streams[r], prompts.get(r), prompt[r], longest - prompt[r].length, config);
        }
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = model.manager().newSubManager();
                KvCache cache = new KvCache(model.config().layers())) {
            float[][] last = prefill(manager, rows, longest, cache);
            int past = longest;
            long[][] fed = useCache ? null : new long[b][];
            if (!useCache) {
                for (int r = 0; r < b; r++) {
                    fed[r] = new long[longest + config.maxNewTokens()];
                    for (int i = 0; i < prompt[r].length; i++) {
                        fed[r][rows[r].pad + i] = prompt[r][i];
                    }
                }
            }
            for (int step = 0; step < config.maxNewTokens(); step++) {
                boolean any = false;
                int[] next = new int[b];
                for (int r = 0; r < b; r++) {
                    Row row = rows[r];
                    if (row.finish == null) {
                        row.choose(last[r], tokenizer, stream);
                        any |= row.finish == null;
                    }
                    next[r] = row.lastToken();
                }
                if (!any || step == config.maxNewTokens() - 1) {
                    break;
                }
                if (useCache) {
                    last = decode(manager, rows, next, past, cache);
                } else {
                    last = recompute(manager, rows, fed, next, past, cache);
                }
                past++;
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        List<Generation> out = new ArrayList<>(b);
        for (Row row : rows) {
            out.add(row.result(tokenizer, stream));
        }
        return out;
    }

    /**
     * Beam search ({@link BeamSearch}) for one prompt, the beams decoded as a batch over one KV cache that is reordered
     * to follow each surviving beam's parent.
     */
    public Generation beamSearch(
            String promptText,
            int index,
            GenerationConfig config,
            int beams,
            double lengthPenalty,
            boolean earlyStopping) {
        config.validate();
        int[] prompt = tokenizer.encode(promptText);
        if (prompt.length == 0) {
            throw new IllegalArgumentException("prompt " + index + " is empty: give at least one token of text");
        }
        if (prompt.length + config.maxNewTokens() > model.config().seqLen()) {
            throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens plus max_new_tokens "
                    + config.maxNewTokens() + " exceeds the model's context of "
                    + model.config().seqLen()
                    + " tokens: shorten the prompt or ask for fewer tokens");
        }
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = model.manager().newSubManager();
                KvCache cache = new KvCache(model.config().layers())) {
            Row single = new Row(index, index, promptText, prompt, 0, config);
            BeamSearch.Scorer scorer = new BeamSearch.Scorer() {
                int past;

                @Override
                public float[] start(int[] tokens) {
                    long[] ids = new long[tokens.length];
                    for (int i = 0; i < tokens.length; i++) {
                        ids[i] = tokens[i];
                    }
                    past = tokens.length;
                    return step(manager, new Row[] {single}, ids, tokens.length, 0, cache)[0];
                }

                @Override
                public float[][] next(int[] parents, int[] tokens) {
                    long[] rows = new long[parents.length];
                    long[] ids = new long[tokens.length];
                    for (int i = 0; i < parents.length; i++) {
                        rows[i] = parents[i];
                        ids[i] = tokens[i];
                    }
                    cache.reorder(rows);
                    Row[] batch = new Row[parents.length];
                    java.util.Arrays.fill(batch, single);
                    float[][] out = step(manager, batch, ids, 1, past, cache);
                    past++;
                    return out;
                }
            };
            BeamSearch.Result r = BeamSearch.search(
                    scorer,
                    prompt,
                    beams,
                    lengthPenalty,
                    earlyStopping,
                    config.maxNewTokens(),
                    config.eosTokens(),
                    config.sampling());
            int[] tokens = r.tokens();
            int textLength = r.finishReason().equals("eos") ? tokens.length - 1 : tokens.length;
            String text = tokenizer.decode(java.util.Arrays.copyOf(tokens, textLength));
            String finish = r.finishReason();
            int cut = firstStop(text, config.stop());
            if (cut >= 0) {
                text = text.substring(0, cut);
                finish = "stop";
            }
            return new Generation(index, promptText, text, tokens, finish, new double[0], new double[0]);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** Where the earliest stop sequence starts in {@code text}, or -1. */
    static int firstStop(String text, List<String> stops) {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** The prompts at once; returns each row's logits at its last prompt position. */
    private float[][] prefill(NDManager manager, Row[] rows, int length, KvCache cache) {
        int b = rows.length;
        long[] tokens = new long[b * length];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < rows[r].prompt.length; i++) {
                tokens[r * length + rows[r].pad + i] = rows[r].prompt[i];
            }
        }
        return step(manager, rows, tokens, length, 0, cache);
    }

    private float[][] decode(NDManager manager, Row[] rows, int[] next, int past, KvCache cache) {
        long[] tokens = new long[rows.length];
        for (int r = 0; r < rows.length; r++) {
            tokens[r] = next[r];
        }
        return step(manager, rows, tokens, 1, past, cache);
    }

    /** Without the cache: the whole sequence so far through the model again, keeping nothing. */
    private float[][] recompute(NDManager manager, Row[] rows, long[][] fed, int[] next, int past, KvCache cache) {
        int b = rows.length;
        int t = past + 1;
        long[] tokens = new long[b * t];
        for (int r = 0; r < b; r++) {
            fed[r][past] = next[r];
            System.arraycopy(fed[r], 0, tokens, r * t, t);
        }
        cache.truncate(0);
        return step(manager, rows, tokens, t, 0, cache);
    }

    /** {@code t} new positions per row after {@code past} cached ones; the last position's logits per row. */
    private float[][] step(NDManager manager, Row[] rows, long[] tokens, int t, int past, KvCache cache) {
        int b = rows.length;
        int keys = past + t;
        long[] positions = new long[b * t];
        float[] bias = new float[b * t * keys];
        for (int r = 0; r < b; r++) {
            int pad = rows[r].pad;
            for (int i = 0; i < t; i++) {
                int at = past + i;
                positions[r * t + i] = Math.max(0, at - pad);
                for (int j = 0; j < keys; j++) {
                    boolean visible = j <= at && (j >= pad || j == at);
                    bias[(r * t + i) * keys + j] = visible ? 0f : MASKED;
                }
            }
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logits = model.forwardCached(
                    manager.create(tokens, new Shape(b, t)),
                    manager.create(positions, new Shape(b, t)),
                    typed(manager.create(bias, new Shape(b, 1, t, keys))),
                    cache);
            float[] lastRows = logits.get(":, -1, :")
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .toFloatArray();
            int vocab = model.config().vocabSize();
            float[][] out = new float[b][];
            for (int r = 0; r < b; r++) {
                out[r] = Arrays.copyOfRange(lastRows, r * vocab, (r + 1) * vocab);
            }
            return out;
        }
    }

    private NDArray typed(NDArray fp32) {
        return fp32.getDataType() == model.dtype() ? fp32 : fp32.toType(model.dtype(), false);
    }

    /** One prompt's state while generating. */
    private static final class Row {
        final int index;
        final String text;
        final int[] prompt;
        final int pad;
        final GenerationConfig config;
        final Sampler sampler;
        final List<Integer> generated = new ArrayList<>();
        final List<Double> logProbs = new ArrayList<>();
        final List<Double> entropies = new ArrayList<>();
        String finish;
        String output = "";
        int streamed;

        Row(int index, long stream, String text, int[] prompt, int pad, GenerationConfig config) {
            this.index = index;
            this.text = text;
            this.prompt = prompt;
            this.pad = pad;
            this.config = config;
            this.sampler = new Sampler(config.sampling(), stream);
        }

        int lastToken() {
            return generated.isEmpty() ? prompt[prompt.length - 1] : generated.get(generated.size() - 1);
        }

        void choose(float[] logits, TextTokenizer tokenizer, BiConsumer<Integer, String> stream) {
            int[] sequence = new int[prompt.length + generated.size()];
            System.arraycopy(prompt, 0, sequence, 0, prompt.length);
            for (int i = 0; i < generated.size(); i++) {
                sequence[prompt.length + i] = generated.get(i);
            }
            Sampler.Choice c = sampler.next(logits, sequence, generated.size());
            generated.add(c.token());
            logProbs.add(c.logProb());
            entropies.add(c.entropy());
            if (config.eosTokens().contains(c.token())) {
                finish = "eos";
                output = decode(tokenizer, generated.size() - 1);
                return;
            }
            output = decode(tokenizer, generated.size());
            int cut = firstStop(output, config.stop());
            if (cut >= 0) {
                finish = "stop";
                output = output.substring(0, cut);
            } else if (generated.size() >= config.maxNewTokens()) {
                finish = "length";
            }
            if (stream != null) {
                int safe = finish != null ? output.length() : safeLength(output);
                if (safe > streamed) {
                    stream.accept(index, output.substring(streamed, safe));
                    streamed = safe;
                }
            }
        }

        private String decode(TextTokenizer tokenizer, int n) {
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = generated.get(i);
            }
            return tokenizer.decode(ids);
        }

        /** How much of the text can be shown now: not a tail that may begin a stop sequence, not a partial character. */
        private int safeLength(String s) {
            int safe = s.length();
            while (safe > 0 && s.charAt(safe - 1) == '\uFFFD') {
                safe--; // bytes of a character whose rest has not been decoded yet
            }
            for (String stop : config.stop()) {
                for (int k = Math.min(stop.length() - 1, safe); k > 0; k--) {
                    if (s.startsWith(stop.substring(0, k), safe - k)) {
                        safe = Math.min(safe, safe - k);
                        break;
                    }
                }
            }
            return Math.max(safe, streamed);
        }

        Generation result(TextTokenizer tokenizer, BiConsumer<Integer, String> stream) {
            if (finish == null) {
                finish = "length";
            }
            if (stream != null && output.length() > streamed) {
                stream.accept(index, output.substring(streamed));
                streamed = output.length();
            }
            return new Generation(
                    index,
                    text,
                    output,
                    generated.stream().mapToInt(Integer::intValue).toArray(),
                    finish,
                    logProbs.stream().mapToDouble(Double::doubleValue).toArray(),
                    entropies.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }
}
