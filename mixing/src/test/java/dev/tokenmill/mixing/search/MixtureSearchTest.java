package dev.tokenmill.mixing.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Dirichlet prior's moments, the search recovering a synthetic surface's optimum, and Spearman's ρ by hand. */
class MixtureSearchTest {
    @Test
    void dirichletDrawsAreOnTheSimplexWithTheRightMean() {
        double[] shares = {0.5, 0.3, 0.15, 0.05};
        Dirichlet d = Dirichlet.around(shares, 4.0, 1);
        double[] mean = new double[4];
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            double[] w = d.next();
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                assertTrue(w[j] >= 0);
                sum += w[j];
                mean[j] += w[j] / n;
            }
            assertEquals(1.0, sum, 1e-9);
        }
        for (int j = 0; j < 4; j++) {
            assertEquals(shares[j], mean[j], 0.01, "E[w] = α / Σα");
        }
        // seeded: the same draws again
        assertArrayEquals(
                Dirichlet.around(shares, 4.0, 9).next(),
                Dirichlet.around(shares, 4.0, 9).next());
    }

    @Test
    void theSearchFindsTheOptimumOfAKnownResponseSurface() {
        double[] optimum = {0.2, 0.5, 0.3};
        // a smooth bowl over the simplex with its minimum at `optimum`
        MixtureSearch.Choice c = MixtureSearch.search(
                w -> {
                    double s = 3.0;
                    for (int j = 0; j < 3; j++) {
                        s += (w[j] - optimum[j]) * (w[j] - optimum[j]) * (j + 1);
                    }
                    return s;
                },
                Dirichlet.around(new double[] {1, 1, 1}, 3.0, 5),
                100_000,
                100);
        for (int j = 0; j < 3; j++) {
            assertEquals(optimum[j], c.weights()[j], 0.02, "weight " + j);
        }
        assertEquals(3.0, c.predictedLoss(), 1e-3);
        assertThrows(
                IllegalArgumentException.class,
                () -> MixtureSearch.search(w -> 0, Dirichlet.around(new double[] {1, 1}, 1, 1), 10, 11));
    }

    @Test
    void aTrustRegionKeepsTheChoiceNearTheBestRunsWhereTheRegressionExtrapolates() {
        // four runs on 3 sources; the best two sit near (0.6, 0.2, 0.2); nearest-neighbour distances 0.1, 0.1, 0.5…
        java.util.List<double[]> runs = java.util.List.of(
                new double[] {0.6, 0.2, 0.2}, new double[] {0.5, 0.3, 0.2}, new double[] {0.2, 0.6, 0.2}, new double[] {
                    0.2, 0.2, 0.6
                });
        double[] loss = {3.0, 3.1, 3.5, 3.6};
        MixtureSearch.TrustRegion region = MixtureSearch.nearBest(runs, loss, 2);
        double[] nn = {Math.sqrt(0.02), Math.sqrt(0.02), Math.sqrt(0.18), Math.sqrt(0.32)};
        assertEquals((nn[1] + nn[2]) / 2, region.radius(), 1e-12, "median of the sorted nearest-neighbour distances");
        assertEquals(2, region.centres().size());
        assertTrue(region.test(new double[] {0.6, 0.2, 0.2}));
        assertTrue(!region.test(new double[] {0.0, 0.0, 1.0}));
        // a regression that extrapolates linearly towards the third source's corner
        java.util.function.ToDoubleFunction<double[]> linear = w -> 4.0 - w[2];
        MixtureSearch.Choice plain =
                MixtureSearch.search(linear, Dirichlet.around(new double[] {1, 1, 1}, 3.0, 5), 20_000, 50);
        assertTrue(plain.weights()[2] > 0.8, "unrestricted, the search goes to the corner");
        assertEquals(20_000, plain.admitted());
        MixtureSearch.Choice near =
                MixtureSearch.search(linear, Dirichlet.around(new double[] {1, 1, 1}, 3.0, 5), 20_000, 50, region);
        assertTrue(near.admitted() > 50 && near.admitted() < 20_000, "admitted " + near.admitted());
        // the region is a union of balls, so the mean may leave it, but not by more than the centres' spread
        assertTrue(MixtureSearch.distance(near.weights(), runs.get(0)) <= region.radius() + nn[0] + 1e-9);
        assertTrue(near.weights()[2] < 0.2 + region.radius() + 1e-9);
        // nothing admitted: no choice
        MixtureSearch.Choice none =
                MixtureSearch.search(linear, Dirichlet.around(new double[] {1, 1, 1}, 3.0, 5), 100, 5, w -> false);
        assertEquals(0, none.admitted());
        assertEquals(null, none.weights());
    }

    @Test
    void spearmanRanksWithTiesAsAverageRanks() {
        assertEquals(1.0, MixtureSearch.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}), 1e-12);
        assertEquals(-1.0, MixtureSearch.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        // ranks x: 1, 2.5, 2.5, 4; y: 1, 2, 3, 4 → ρ = Pearson of the ranks
        assertEquals(
                0.9486832980505138,
                MixtureSearch.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4}),
                1e-12);
    }
}
