package dev.tokenmill.mixing.search;

import java.util.SplittableRandom;

/**
 * Seeded draws from a Dirichlet distribution: independent Gamma(αᵢ, 1) variates normalised to sum to 1. Gamma by
 * Marsaglia and Tsang (2000), with the α < 1 boost Gamma(α) = Gamma(α + 1)·U^(1/α).
 */
public final class Dirichlet {
    private final double[] alpha;
    private final SplittableRandom random;

    public Dirichlet(double[] alpha, long seed) {
        for (double a : alpha) {
            if (!(a > 0)) {
                throw new IllegalArgumentException("Dirichlet concentrations must be > 0, got " + a);
            }
        }
        this.alpha = alpha.clone();
        this.random = new SplittableRandom(seed);
    }

    /** RegMix's prior: concentration {@code scale} spread over the sources in proportion to their natural shares. */
    public static Dirichlet around(double[] shares, double scale, long seed) {
        double sum = 0;
        for (double s : shares) {
            sum += s;
        }
        double[] a = new double[shares.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(1e-3, scale * shares[i] / sum);
        }
        return new Dirichlet(a, seed);
    }

    public double[] next() {
        double[] x = new double[alpha.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = gamma(alpha[i]);
            sum += x[i];
        }
        if (sum == 0) { // every variate underflowed (tiny α): all mass on one source, chosen by α
            x[argMax(alpha)] = 1;
            return x;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= sum;
        }
        return x;
    }

    private double gamma(double a) {
        if (a < 1) {
            return gamma(a + 1) * Math.pow(random.nextDouble(), 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = normal();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private double normal() {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static int argMax(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }
}
