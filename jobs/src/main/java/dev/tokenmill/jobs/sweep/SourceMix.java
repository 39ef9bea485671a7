package dev.tokenmill.jobs.sweep;

import dev.tokenmill.mixing.MixPlan;
import dev.tokenmill.train.data.PackedSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A proxy run's training data drawn on the fly from several sources (training windows of tokenize tables) in given
 * weights, without a materialised copy: {@link MixPlan} decides each source's share of the run's windows (epoch caps,
 * redistribution, as the {@code mix} step does), the fractional budgets are rounded to whole windows by largest
 * remainder (so realised counts are within one window of the plan and add up to the total), a source contributes its
 * whole passes plus a seeded prefix of a permutation of its windows (seeded by run seed and source name, so one source's draw
 * does not move when another is added), and the drawn windows are shuffled with the same
 * seed — so the trainer's held-out tail is a random sample of the mixture, not the last source. Pure: no Spark.
 */
final class SourceMix {
    /** One source: its name, windows, weight and epoch cap. */
    record Source(String name, PackedSamples windows, double weight, double maxEpochs) {}

    /** What a source gave: planned share, windows drawn, and epochs over it (drawn / available). */
    record Drawn(String name, double targetShare, long available, long windows, double epochs) {}

    /** The mixed windows (the sources stay open: close them, not this) and the per-source figures. */
    record Mixed(PackedSamples samples, List<Drawn> drawn) {}

    private SourceMix() {}

    static Mixed draw(List<Source> sources, int windows, long seed) {
        if (windows < 1) {
            throw new IllegalArgumentException("a mixture needs at least one window");
        }
        List<MixPlan.Source> plan = new ArrayList<>();
        for (Source s : sources) {
            plan.add(new MixPlan.Source(s.name(), s.windows().size(), s.weight(), s.maxEpochs()));
        }
        List<MixPlan.Allocation> alloc = MixPlan.allocate(plan, windows, null);
        int k = sources.size();
        int[] count = new int[k];
        double[] remainder = new double[k];
        long total = 0;
        for (int i = 0; i < k; i++) {
            double budget = alloc.get(i).budget();
            count[i] = (int) Math.floor(budget + 1e-9);
            remainder[i] = budget - count[i];
            total += count[i];
        }
        // largest remainder first; ties by source order; never past a source's cap
        while (total < windows) {
            int best = -1;
            for (int i = 0; i < k; i++) {
                double cap =
                        sources.get(i).maxEpochs() * sources.get(i).windows().size();
                if (count[i] + 1 <= cap + 1e-9 && remainder[i] > 0 && (best < 0 || remainder[i] > remainder[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                throw new IllegalArgumentException("the sources hold " + total + " windows within their epoch caps, "
                        + "the run needs " + windows + ": raise max_epochs or lower the token budget");
            }
            count[best]++;
            remainder[best] = 0;
            total++;
        }
        int[] source = new int[windows];
        int[] window = new int[windows];
        int at = 0;
        List<Drawn> drawn = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int size = sources.get(i).windows().size();
            if (count[i] > 0) {
                int[] perm = permutation(
                        size,
                        new SplittableRandom(
                                seed * 1_000_003L + sources.get(i).name().hashCode()));
                for (int c = 0; c < count[i]; c++) {
                    // whole passes in index order, then the seeded prefix of the next pass
                    source[at] = i;
                    window[at] = c < (count[i] / size) * size ? c % size : perm[c % size];
                    at++;
                }
            }
            drawn.add(new Drawn(
                    sources.get(i).name(),
                    alloc.get(i).targetShare(),
                    size,
                    count[i],
                    size == 0 ? 0 : (double) count[i] / size));
        }
        SplittableRandom shuffle = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = windows - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int s = source[i];
            source[i] = source[j];
            source[j] = s;
            int w = window[i];
            window[i] = window[j];
            window[j] = w;
        }
        PackedSamples mixed = new PackedSamples() {
            @Override
            public int size() {
                return windows;
            }

            @Override
            public int[] tokens(int i, int length) {
                return sources.get(source[i]).windows().tokens(window[i], length);
            }
        };
        return new Mixed(mixed, drawn);
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
