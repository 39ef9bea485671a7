package dev.tokenmill.mixing.search;

import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * RegMix's search step (Liu et al., ICLR 2025, §3): given a regression that predicts the target loss from mixture
 * weights, draw many candidate mixtures from a Dirichlet around the natural shares, keep the {@code top} with the
 * lowest predicted loss and average them (averaging the best few is more robust than the single arg-min of an
 * imperfect regression). Pure: the regression is any function of the weights; the draws are seeded.
 *
 * <p>An optional {@link TrustRegion} (tokenmill's opt-in deviation from the paper) admits only candidates near the
 * best observed runs: a regression is judged where its runs are, and its arg-min may lie where none was (a tree
 * ensemble that never split on a source is indifferent to it, and the average of its top candidates can then be
 * dominated by that source).
 */
public final class MixtureSearch {
    /**
     * The chosen weights, the mean predicted loss of the mixtures averaged into them, the candidates drawn and how
     * many of them the region admitted (all, without one).
     */
    public record Choice(double[] weights, double predictedLoss, int candidates, int admitted) {}

    /**
     * Candidates within {@code radius} (Euclidean, on the weights) of one of {@code centres}: the best observed
     * runs. {@link #nearBest} sets the radius to the runs' median nearest-neighbour distance, the scale at which the
     * runs cover the simplex.
     */
    public record TrustRegion(List<double[]> centres, double radius) implements Predicate<double[]> {
        @Override
        public boolean test(double[] w) {
            for (double[] c : centres) {
                if (distance(c, w) <= radius) {
                    return true;
                }
            }
            return false;
        }
    }

    private MixtureSearch() {}

    public static Choice search(ToDoubleFunction<double[]> predictedLoss, Dirichlet candidates, int samples, int top) {
        return search(predictedLoss, candidates, samples, top, w -> true);
    }

    /**
     * The search restricted to the candidates {@code admit} accepts. When it accepts fewer than {@code top}, their
     * mean is the choice; when it accepts none, the choice is empty ({@code weights} null, {@code admitted} 0).
     */
    public static Choice search(
            ToDoubleFunction<double[]> predictedLoss,
            Dirichlet candidates,
            int samples,
            int top,
            Predicate<double[]> admit) {
        if (samples < 1 || top < 1 || top > samples) {
            throw new IllegalArgumentException("need 1 ≤ top ≤ samples, got top " + top + " of " + samples);
        }
        // a max-heap of the best `top` so far: the worst of them is dropped first
        PriorityQueue<double[]> best = new PriorityQueue<>(top, (a, b) -> Double.compare(b[0], a[0]));
        int admitted = 0;
        for (int i = 0; i < samples; i++) {
            double[] w = candidates.next();
            if (!admit.test(w)) {
                continue;
            }
            admitted++;
            double loss = predictedLoss.applyAsDouble(w);
            if (best.size() < top || loss < best.peek()[0]) {
                double[] entry = new double[w.length + 1];
                entry[0] = loss;
                System.arraycopy(w, 0, entry, 1, w.length);
                best.add(entry);
                if (best.size() > top) {
                    best.poll();
                }
            }
        }
        if (best.isEmpty()) {
            return new Choice(null, Double.NaN, samples, 0);
        }
        int k = best.peek().length - 1;
        double[] mean = new double[k];
        double loss = 0;
        int n = best.size();
        for (double[] e : best) {
            loss += e[0];
            for (int j = 0; j < k; j++) {
                mean[j] += e[j + 1];
            }
        }
        for (int j = 0; j < k; j++) {
            mean[j] /= n;
        }
        return new Choice(mean, loss / n, samples, admitted);
    }

    /**
     * The region around the {@code k} runs of lowest observed loss, with the runs' median nearest-neighbour distance
     * as its radius.
     */
    public static TrustRegion nearBest(List<double[]> runs, double[] loss, int k) {
        if (runs.size() != loss.length || runs.size() < 2 || k < 1) {
            throw new IllegalArgumentException("need at least 2 runs with a loss and k ≥ 1");
        }
        Integer[] order = new Integer[runs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(loss[a], loss[b]));
        List<double[]> centres = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            centres.add(runs.get(order[i]));
        }
        double[] nearest = new double[runs.size()];
        for (int i = 0; i < nearest.length; i++) {
            nearest[i] = Double.POSITIVE_INFINITY;
            for (int j = 0; j < nearest.length; j++) {
                if (i != j) {
                    nearest[i] = Math.min(nearest[i], distance(runs.get(i), runs.get(j)));
                }
            }
        }
        Arrays.sort(nearest);
        int m = nearest.length;
        double median = m % 2 == 1 ? nearest[m / 2] : (nearest[m / 2 - 1] + nearest[m / 2]) / 2;
        return new TrustRegion(centres, median);
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** Spearman's rank correlation (average ranks for ties): how well predicted losses order the actual ones. */
    public static double spearman(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("need two equally long series of at least 2 values");
        }
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = Arrays.stream(rx).average().orElse(0);
        double my = Arrays.stream(ry).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = rank;
            }
            i = j + 1;
        }
        return r;
    }
}
