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
