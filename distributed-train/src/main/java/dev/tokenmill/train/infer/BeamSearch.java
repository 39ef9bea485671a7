package dev.tokenmill.train.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search with Hugging Face {@code generate}'s rules ({@code num_beams}, {@code length_penalty},
 * {@code early_stopping}): each step scores every (beam, token) by the beam's summed log-probability plus the token's
 * ({@code log_softmax} of the logits, then the {@link Sampler}'s logit processors), keeps the best {@code 2 · beams}
 * candidates, moves those ending in EOS to the finished hypotheses (score {@code Σ log p / L^length_penalty}, L = the
 * generated tokens, EOS included) and continues with the best {@code beams} others. It stops when {@code beams}
 * hypotheses are finished and, unless {@code earlyStopping}, no running beam can still beat the worst of them; at the
 * token limit the running beams count as hypotheses. The best hypothesis wins. The model is behind {@link Scorer}, so
 * the algorithm is tested against exhaustive search on a toy model.
 */
public final class BeamSearch {
    /** The next-token logits of beams. */
    public interface Scorer {
        /** Logits after the prompt (one row). */
        float[] start(int[] prompt);

        /** Logits after each beam's {@code tokens[i]}, beam i continuing the sequence of old beam {@code parents[i]}. */
        float[][] next(int[] parents, int[] tokens);
    }

    /** The winning continuation, its summed log-probability and length-normalised score, and why it ended. */
    public record Result(int[] tokens, double logProb, double score, String finishReason) {}

    private record Beam(int[] tokens, double logProb) {}

    private record Candidate(int parent, int token, double logProb) {}

    private BeamSearch() {}

    public static Result search(
            Scorer scorer,
            int[] prompt,
            int beams,
            double lengthPenalty,
            boolean earlyStopping,
            int maxNewTokens,
            List<Integer> eos,
            SamplingConfig processors) {
        if (beams < 1) {
            throw new IllegalArgumentException("num_beams must be ≥ 1, got " + beams);
        }
        Sampler sampler = new Sampler(processors, 0);
        List<Result> finished = new ArrayList<>();
        List<Beam> running = List.of(new Beam(new int[0], 0));
        float[][] logits = {scorer.start(prompt)};
        for (int step = 0; step < maxNewTokens; step++) {
            List<Candidate> candidates = new ArrayList<>();
            for (int b = 0; b < running.size(); b++) {
                Beam beam = running.get(b);
                double[] logp = logSoftmax(logits[b]);
                float[] asFloat = new float[logp.length];
                for (int i = 0; i < logp.length; i++) {
                    asFloat[i] = (float) logp[i];
                }
                double[] processed = sampler.process(asFloat, concat(prompt, beam.tokens()), beam.tokens().length);
                for (int t = 0; t < processed.length; t++) {
                    if (processed[t] != Double.NEGATIVE_INFINITY) {
                        candidates.add(new Candidate(b, t, beam.logProb() + processed[t]));
                    }
                }
            }
            // best first; ties by parent then token, so the search is deterministic
            candidates.sort(Comparator.comparingDouble(Candidate::logProb)
                    .reversed()
                    .thenComparingInt(Candidate::parent)
                    .thenComparingInt(Candidate::token));
            List<Beam> next = new ArrayList<>();
            List<Integer> parents = new ArrayList<>();
            for (int i = 0; i < Math.min(candidates.size(), 2 * beams) && next.size() < beams; i++) {
                Candidate c = candidates.get(i);
                int[] tokens = append(running.get(c.parent()).tokens(), c.token());
                if (eos.contains(c.token())) {
                    if (i < beams) { // HF: an EOS outside the top `beams` candidates does not finish a hypothesis
                        finished.add(new Result(
                                tokens, c.logProb(), c.logProb() / Math.pow(tokens.length, lengthPenalty), "eos"));
                    }
                } else {
                    next.add(new Beam(tokens, c.logProb()));
                    parents.add(c.parent());
                }
            }
            finished.sort(Comparator.comparingDouble(Result::score).reversed());
            if (finished.size() >= beams) {
                if (earlyStopping || next.isEmpty()) {
                    break;
                }
                double bestRunning = next.get(0).logProb() / Math.pow(step + 1, lengthPenalty);
                if (finished.get(beams - 1).score() >= bestRunning) {
                    break;
                }
            }
            if (next.isEmpty()) {
                break;
            }
            running = next;
            if (step + 1 < maxNewTokens) {
                logits = scorer.next(
                        parents.stream().mapToInt(Integer::intValue).toArray(),
                        next.stream()
                                .mapToInt(b -> b.tokens()[b.tokens().length - 1])
                                .toArray());
            } else {
                for (Beam b : running) {
                    finished.add(new Result(
                            b.tokens(),
                            b.logProb(),
                            b.logProb() / Math.pow(b.tokens().length, lengthPenalty),
                            "length"));
                }
            }
        }
        if (finished.isEmpty()) {
            for (Beam b : running) {
                finished.add(new Result(
                        b.tokens(), b.logProb(), b.logProb() / Math.pow(b.tokens().length, lengthPenalty), "length"));
            }
        }
        finished.sort(Comparator.comparingDouble(Result::score).reversed());
        return finished.get(0);
    }

    static double[] logSoftmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : x) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - log;
        }
        return out;
    }

    private static int[] append(int[] a, int t) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = t;
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
