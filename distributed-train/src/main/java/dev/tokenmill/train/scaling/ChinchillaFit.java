package dev.tokenmill.train.scaling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;

/**
 * Fits {@link ScalingLaw} to observed runs as Chinchilla's approach 3 does (Hoffmann et al. 2022, appendix D.2; the
 * re-fit of Besiroglu et al. 2024 keeps the objective): minimise Σ Huber_δ(LSE(a − α·log N, b − β·log D, e) −
 * log L) over (a, b, e, α, β) with A = eᵃ, B = eᵇ, E = eᵉ, δ = 10⁻³, from every start of a grid of initialisations
 * (α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}), keeping the best. The paper uses L-BFGS;
 * here commons-math's nonlinear conjugate gradient (Polak–Ribière) on the same smooth objective with its analytic
 * gradient. Confidence intervals: percentile bootstrap over resampled runs (seeded).
 */
public final class ChinchillaFit {
    /** One observed run: parameters, training tokens, final held-out loss. */
    public record Run(double parameters, double tokens, double loss) {}

    /** The fitted law, the objective at the optimum, and bootstrap intervals (2.5 %, 97.5 %) per parameter. */
    public record Result(ScalingLaw law, double objective, double[][] intervals) {}

    public static final double DELTA = 1e-3;

    private ChinchillaFit() {}

    /** The best fit over the grid of initialisations. */
    public static Result fit(List<Run> runs) {
        return fit(runs, 0, 0);
    }

    /** The fit plus {@code bootstrap} resampled refits (seed {@code seed}); 0 skips the intervals. */
    public static Result fit(List<Run> runs, int bootstrap, long seed) {
        if (runs.size() < 5) {
            throw new IllegalArgumentException("a five-parameter law needs at least 5 runs, got " + runs.size());
        }
        for (Run r : runs) {
            if (!(r.parameters() > 0 && r.tokens() > 0 && r.loss() > 0)) {
                throw new IllegalArgumentException("parameters, tokens and loss must be positive: " + r);
            }
        }
        List<double[]> starts = new ArrayList<>();
        for (double alpha = 0; alpha <= 2; alpha += 0.5) {
            for (double beta = 0; beta <= 2; beta += 0.5) {
                for (double e = -1; e <= 1; e += 0.5) {
                    for (double a = 0; a <= 25; a += 5) {
                        for (double b = 0; b <= 25; b += 5) {
                            starts.add(new double[] {a, b, e, alpha, beta});
                        }
                    }
                }
            }
        }
        // the starts are independent: all cores; the first best in grid order wins, so the result is deterministic
        List<PointValuePair> fits =
                starts.parallelStream().map(x -> minimise(runs, x)).toList();
        double[] best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        for (PointValuePair p : fits) {
            if (p != null && p.getValue() < bestValue) {
                bestValue = p.getValue();
                best = p.getPoint();
            }
        }
        if (best == null) {
            throw new IllegalStateException("no initialisation converged");
        }
        double[][] intervals = bootstrap > 0 ? intervals(runs, best, bootstrap, seed) : null;
        return new Result(law(best), bestValue, intervals);
    }

    private static ScalingLaw law(double[] x) {
        return new ScalingLaw(Math.exp(x[2]), Math.exp(x[0]), Math.exp(x[1]), x[3], x[4]);
    }

    /** Percentile intervals of (E, A, B, α, β) from refits on resampled runs, each started at the full fit. */
    private static double[][] intervals(List<Run> runs, double[] start, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Run>> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Run> sample = new ArrayList<>();
            for (int j = 0; j < runs.size(); j++) {
                sample.add(runs.get(random.nextInt(runs.size())));
            }
            samples.add(sample);
        }
        List<double[]> fits = samples.parallelStream()
                .map(sample -> minimise(sample, start.clone()))
                .filter(java.util.Objects::nonNull)
                .map(p -> {
                    ScalingLaw l = law(p.getPoint());
                    return new double[] {l.e(), l.a(), l.b(), l.alpha(), l.beta()};
                })
                .toList();
        double[][] out = new double[5][2];
        for (int k = 0; k < 5; k++) {
            final int column = k;
            double[] values = fits.stream().mapToDouble(f -> f[column]).sorted().toArray();
            out[k][0] = values[(int) Math.floor(0.025 * (values.length - 1))];
            out[k][1] = values[(int) Math.ceil(0.975 * (values.length - 1))];
        }
        return out;
    }

    private static PointValuePair minimise(List<Run> runs, double[] start) {
        NonLinearConjugateGradientOptimizer optimizer = new NonLinearConjugateGradientOptimizer(
                NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE, new SimpleValueChecker(1e-12, 1e-14));
        try {
            return optimizer.optimize(
                    new MaxEval(20_000),
                    new MaxIter(5_000),
                    new ObjectiveFunction(x -> objective(runs, x, null)),
                    new ObjectiveFunctionGradient(x -> {
                        double[] g = new double[5];
                        objective(runs, x, g);
                        return g;
                    }),
                    GoalType.MINIMIZE,
                    new InitialGuess(start));
        } catch (TooManyEvaluationsException | TooManyIterationsException | ArithmeticException e) {
            return null;
        }
    }

    /** Σ Huber(LSE − log L); the gradient into {@code grad} when not null. */
    static double objective(List<Run> runs, double[] x, double[] grad) {
        double a = x[0];
        double b = x[1];
        double e = x[2];
        double alpha = x[3];
        double beta = x[4];
        if (grad != null) {
            Arrays.fill(grad, 0);
        }
        double sum = 0;
        for (Run r : runs) {
            double logN = Math.log(r.parameters());
            double logD = Math.log(r.tokens());
            double t1 = a - alpha * logN;
            double t2 = b - beta * logD;
            double max = Math.max(e, Math.max(t1, t2));
            double w1 = Math.exp(t1 - max);
            double w2 = Math.exp(t2 - max);
            double w3 = Math.exp(e - max);
            double z = w1 + w2 + w3;
            double lse = max + Math.log(z);
            double residual = lse - Math.log(r.loss());
            double abs = Math.abs(residual);
            sum += abs <= DELTA ? 0.5 * residual * residual : DELTA * (abs - 0.5 * DELTA);
            if (grad != null) {
                double dr = abs <= DELTA ? residual : DELTA * Math.signum(residual);
                double p1 = w1 / z;
                double p2 = w2 / z;
                double p3 = w3 / z;
                grad[0] += dr * p1;
                grad[1] += dr * p2;
                grad[2] += dr * p3;
                grad[3] += dr * p1 * -logN;
                grad[4] += dr * p2 * -logD;
            }
        }
        return sum;
    }
}
