package dev.tokenmill.mixing.search;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.function.ToDoubleFunction;

/**
 * RegMix's search step (Liu et al., ICLR 2025, §3): given a regression that predicts the target loss from mixture
 * weights, draw many candidate mixtures from a Dirichlet around the natural shares, keep the {@code top} with the
 * lowest predicted loss and average them (averaging the best few is more robust than the single arg-min of an
 * imperfect regression). Pure: the regression is any function of the weights; the draws are seeded.
 */
public final class MixtureSearch {
    /** The chosen weights and the mean predicted loss of the mixtures averaged into them. */
    public record Choice(double[] weights, double predictedLoss, int candidates) {}

    private MixtureSearch() {}

    public static Choice search(ToDoubleFunction<double[]> predictedLoss, Dirichlet candidates, int samples, int top) {
        if (samples < 1 || top < 1 || top > samples) {
            throw new IllegalArgumentException("need 1 ≤ top ≤ samples, got top " + top + " of " + samples);
        }
        // a max-heap of the best `top` so far: the worst of them is dropped first
        PriorityQueue<double[]> best = new PriorityQueue<>(top, (a, b) -> Double.compare(b[0], a[0]));
        for (int i = 0; i < samples; i++) {
            double[] w = candidates.next();
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
        return new Choice(mean, loss / n, samples);
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
