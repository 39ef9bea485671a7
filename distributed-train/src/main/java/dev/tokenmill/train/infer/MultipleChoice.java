package dev.tokenmill.train.infer;

import dev.tokenmill.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multiple-choice scoring as lm-evaluation-harness's {@code output_type: multiple_choice} does it: each choice is a
 * continuation {@code " " + choice} of the context, scored by its summed log-likelihood; {@code acc} picks the
 * highest, {@code acc_norm} the highest per character of the choice ({@code len(choice)} in Python, the harness's
 * normalisation; bytes for ASCII text). Context and continuation are encoded as the harness's {@code _encode_pair}:
 * trailing spaces of the context move to the continuation, the whole is encoded once and the continuation is what
 * follows the context's tokens; an empty context is the prefix token.
 */
public final class MultipleChoice {
    public static final String DELIMITER = " ";

    public record Item(String context, List<String> choices, int label) {
        public Item {
            if (choices.size() < 2) {
                throw new IllegalArgumentException("an item needs at least two choices");
            }
            if (label < 0 || label >= choices.size()) {
                throw new IllegalArgumentException(
                        "label " + label + " is not one of the " + choices.size() + " choices");
            }
        }
    }

    /**
     * {@code acc}, {@code acc_norm} and their standard errors (the sample standard deviation over √n, as the
     * harness reports), and {@code chance}: the mean of 1 / choices.
     */
    public record Result(
            int items, double acc, double accStderr, double accNorm, double accNormStderr, double chance) {}

    private MultipleChoice() {}

    public static Result evaluate(List<Item> items, TextTokenizer tokenizer, LogLikelihood scorer, int prefixToken) {
        List<LogLikelihood.Request> requests = new ArrayList<>();
        for (Item item : items) {
            for (String choice : item.choices()) {
                requests.add(request(tokenizer, item.context(), DELIMITER + choice, prefixToken));
            }
        }
        List<LogLikelihood.Score> scores = scorer.score(requests);
        double[] acc = new double[items.size()];
        double[] accNorm = new double[items.size()];
        double chance = 0;
        int at = 0;
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            int best = -1;
            int bestNorm = -1;
            double max = Double.NEGATIVE_INFINITY;
            double maxNorm = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < item.choices().size(); c++) {
                double ll = scores.get(at++).logLikelihood();
                double norm = ll
                        / item.choices()
                                .get(c)
                                .codePointCount(0, item.choices().get(c).length());
                // numpy's argmax: the first of equal maxima
                if (ll > max) {
                    max = ll;
                    best = c;
                }
                if (norm > maxNorm) {
                    maxNorm = norm;
                    bestNorm = c;
                }
            }
            acc[i] = best == item.label() ? 1 : 0;
            accNorm[i] = bestNorm == item.label() ? 1 : 0;
            chance += 1.0 / item.choices().size();
        }
        int n = items.size();
        return new Result(n, mean(acc), stderr(acc), mean(accNorm), stderr(accNorm), n == 0 ? Double.NaN : chance / n);
    }

    /** The harness's {@code _encode_pair}. */
    static LogLikelihood.Request request(
            TextTokenizer tokenizer, String context, String continuation, int prefixToken) {
        int spaces = context.length() - context.stripTrailing().length();
        if (spaces > 0) {
            continuation = context.substring(context.length() - spaces) + continuation;
            context = context.substring(0, context.length() - spaces);
        }
        if (context.isEmpty()) {
            return new LogLikelihood.Request(new int[] {prefixToken}, tokenizer.encode(continuation));
        }
        int[] whole = tokenizer.encode(context + continuation);
        int[] contextIds = tokenizer.encode(context);
        int split = Math.min(contextIds.length, whole.length - 1);
        return new LogLikelihood.Request(
                Arrays.copyOfRange(whole, 0, split), Arrays.copyOfRange(whole, split, whole.length));
    }

    private static double mean(double[] x) {
        return x.length == 0 ? Double.NaN : Arrays.stream(x).sum() / x.length;
    }

    private static double stderr(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (x.length - 1) / x.length);
    }
}
