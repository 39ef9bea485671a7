package dev.tokenmill.dedup.minhash;

/**
 * Bands × rows for a MinHash LSH index, chosen as datasketch does: minimise the weighted sum of the false
 * positive area (pairs under the threshold that become candidates) and the false negative area (pairs over it
 * that do not) under the S-curve P(candidate | s) = 1 − (1 − s^r)^b, over all b·r ≤ num_perm.
 */
public record LshParams(int bands, int rows, double falsePositiveArea, double falseNegativeArea)
        implements java.io.Serializable {

    /** P(a pair with Jaccard s shares at least one band bucket). */
    public double candidateProbability(double s) {
        return 1 - Math.pow(1 - Math.pow(s, rows), bands);
    }

    public static LshParams optimal(
            double threshold, int numPerm, double falsePositiveWeight, double falseNegativeWeight) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
        if (numPerm < 2) {
            throw new IllegalArgumentException("num_perm must be at least 2, got " + numPerm);
        }
        LshParams best = null;
        double bestError = Double.MAX_VALUE;
        for (int b = 1; b <= numPerm; b++) {
            for (int r = 1; b * r <= numPerm; r++) {
                final int bands = b;
                final int rows = r;
                double fp = integrate(s -> 1 - Math.pow(1 - Math.pow(s, rows), bands), 0, threshold);
                double fn = integrate(s -> Math.pow(1 - Math.pow(s, rows), bands), threshold, 1);
                double error = falsePositiveWeight * fp + falseNegativeWeight * fn;
                if (error < bestError) {
                    bestError = error;
                    best = new LshParams(b, r, fp, fn);
                }
            }
        }
        return best;
    }

    /** The false positive and negative areas of a given banding. */
    public static LshParams evaluate(double threshold, int bands, int rows) {
        double fp = integrate(s -> 1 - Math.pow(1 - Math.pow(s, rows), bands), 0, threshold);
        double fn = integrate(s -> Math.pow(1 - Math.pow(s, rows), bands), threshold, 1);
        return new LshParams(bands, rows, fp, fn);
    }

    /** Composite Simpson's rule, 200 intervals: the integrands are smooth and bounded by 1. */
    static double integrate(java.util.function.DoubleUnaryOperator f, double from, double to) {
        int n = 200;
        double h = (to - from) / n;
        double sum = f.applyAsDouble(from) + f.applyAsDouble(to);
        for (int i = 1; i < n; i++) {
            sum += f.applyAsDouble(from + i * h) * (i % 2 == 0 ? 2 : 4);
        }
        return sum * h / 3;
    }

    @Override
    public String toString() {
        return String.format(
                "%d bands × %d rows (false positive area %.4f, false negative area %.4f)",
                bands, rows, falsePositiveArea, falseNegativeArea);
    }
}
