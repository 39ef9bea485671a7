package dev.tokenmill.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.mixing.search.Dirichlet;
import dev.tokenmill.mixing.search.MixtureSearch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The regression and the search together recover the optimum of a known response surface from a RegMix-sized set of
 * noisy "proxy runs", and rank unseen mixtures as the surface does.
 */
class MixRegressionTest {
    private static final double[] OPTIMUM = {0.5, 0.3, 0.2};

    /** A bowl around {@link #OPTIMUM}, with one source (the third) hurting more when overweighted. */
    private static double surface(double[] w) {
        double l = 2.0;
        for (int i = 0; i < w.length; i++) {
            double d = w[i] - OPTIMUM[i];
            l += (i == 2 ? 4.0 : 2.0) * d * d;
        }
        return l;
    }

    @Test
    void gradientBoostedTreesFindTheOptimumOfASyntheticSurface() {
        Dirichlet prior = new Dirichlet(new double[] {1, 1, 1}, 11);
        SplittableRandom noise = new SplittableRandom(5);
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            double[] w = prior.next();
            x.add(w);
            y.add(surface(w) + 0.002 * (noise.nextDouble() * 2 - 1));
        }
        double[] fitY =
                y.subList(0, 80).stream().mapToDouble(Double::doubleValue).toArray();
        ToDoubleFunction<double[]> model = MixRegression.fit(TestLake.spark(), x.subList(0, 80), fitY, "gbt", 3);
        double[] predicted = new double[16];
        double[] actual = new double[16];
        for (int i = 0; i < 16; i++) {
            predicted[i] = model.applyAsDouble(x.get(80 + i));
            actual[i] = y.get(80 + i);
        }
        double rho = MixtureSearch.spearman(predicted, actual);
        assertTrue(rho > 0.8, "held-out rank correlation " + rho);
        MixtureSearch.Choice c = MixtureSearch.search(model, new Dirichlet(new double[] {1, 1, 1}, 12), 100_000, 100);
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    OPTIMUM[i], c.weights()[i], 0.08, "weight " + i + " of " + java.util.Arrays.toString(c.weights()));
        }
        assertTrue(
                surface(c.weights()) - 2.0 < 0.02, "chosen mixture's true excess loss " + (surface(c.weights()) - 2));
    }
}
