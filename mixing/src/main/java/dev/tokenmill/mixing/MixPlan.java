package dev.tokenmill.mixing;

import java.util.ArrayList;
import java.util.List;

/**
 * How much of each source a mixture takes. Shares come from explicit weights or from temperature sampling
 * (p ∝ size^α); a source's budget is its share of the target, capped at {@code maxEpochs} × its size; what a
 * capped source cannot give is handed to the uncapped ones in proportion to their shares (repeatedly, until
 * nothing moves), so the target is met whenever the caps allow it. Pure arithmetic, no Spark.
 */
public final class MixPlan {
    /** A source (or a stratum of one): its size in the mixing unit, its weight (ignored with temperature), its cap. */
    public record Source(String name, double size, double weight, double maxEpochs) {}

    /** The outcome per source: target share, budget in units, epochs (budget / size), whether the cap bound it. */
    public record Allocation(
            String name, double size, double targetShare, double budget, double epochs, boolean capped) {
        /** Whole passes over the source. */
        public int fullEpochs() {
            return (int) Math.floor(epochs + 1e-12);
        }

        /** The part of one more pass, in units (taken as a seeded prefix of the source). */
        public double partialUnits() {
            return Math.max(0, budget - fullEpochs() * size);
        }
    }

    private MixPlan() {}

    /** @param temperature α for p ∝ size^α, or null to use the weights */
    public static List<Allocation> allocate(List<Source> sources, double target, Double temperature) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a mixture needs at least one source");
        }
        if (!(target > 0)) {
            throw new IllegalArgumentException("the target must be positive, got " + target);
        }
        int n = sources.size();
        double[] share = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            Source s = sources.get(i);
            if (s.size() < 0 || s.maxEpochs() <= 0) {
                throw new IllegalArgumentException("source " + s.name() + ": size must be ≥ 0 and max_epochs > 0");
            }
            double w = temperature == null ? s.weight() : Math.pow(s.size(), temperature);
            if (w < 0 || Double.isNaN(w)) {
                throw new IllegalArgumentException("source " + s.name() + ": weight must be ≥ 0, got " + w);
            }
            share[i] = s.size() == 0 ? 0 : w;
            sum += share[i];
        }
        if (sum == 0) {
            throw new IllegalArgumentException("all sources are empty or weigh 0");
        }
        for (int i = 0; i < n; i++) {
            share[i] /= sum;
        }
        double[] budget = new double[n];
        boolean[] capped = new boolean[n];
        double remaining = target;
        for (int round = 0; round <= n && remaining > 1e-9 * target; round++) {
            double open = 0;
            for (int i = 0; i < n; i++) {
                if (!capped[i]) {
                    open += share[i];
                }
            }
            if (open == 0) {
                break;
            }
            double handed = remaining;
            remaining = 0;
            for (int i = 0; i < n; i++) {
                if (capped[i]) {
                    continue;
                }
                Source s = sources.get(i);
                double want = budget[i] + handed * share[i] / open;
                double cap = s.maxEpochs() * s.size();
                if (want >= cap) {
                    remaining += want - cap;
                    budget[i] = cap;
                    capped[i] = true;
                } else {
                    budget[i] = want;
                }
            }
        }
        List<Allocation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Source s = sources.get(i);
            out.add(new Allocation(
                    s.name(), s.size(), share[i], budget[i], s.size() == 0 ? 0 : budget[i] / s.size(), capped[i]));
        }
        return out;
    }
}
