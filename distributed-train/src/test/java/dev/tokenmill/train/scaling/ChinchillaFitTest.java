package dev.tokenmill.train.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The approach-3 fit recovers a known law from noisy synthetic runs and extrapolates to held-out larger ones. */
class ChinchillaFitTest {
    /** Chinchilla's published fit (Hoffmann et al. 2022, eq. 10). */
    private static final ScalingLaw TRUE = new ScalingLaw(1.69, 406.4, 410.7, 0.34, 0.28);

    private static List<ChinchillaFit.Run> runs(double sigma, long seed, double maxCompute) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ChinchillaFit.Run> runs = new ArrayList<>();
        for (double n = 1e6; n <= 1.01e9; n *= Math.sqrt(10)) {
            for (double d = 1e8; d <= 1.01e11; d *= Math.sqrt(10)) {
                if (6 * n * d > maxCompute) {
                    continue;
                }
                double noise = Math.exp(sigma * gaussian(random));
                runs.add(new ChinchillaFit.Run(n, d, TRUE.loss(n, d) * noise));
            }
        }
        return runs;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void recoversAKnownLawWithinFivePercentFromNoisyRuns() {
        ChinchillaFit.Result r = ChinchillaFit.fit(runs(0.002, 1, Double.MAX_VALUE), 5, 7);
        ScalingLaw l = r.law();
        assertEquals(TRUE.e(), l.e(), 0.05 * TRUE.e(), "E " + l);
        assertEquals(TRUE.a(), l.a(), 0.05 * TRUE.a(), "A " + l);
        assertEquals(TRUE.b(), l.b(), 0.05 * TRUE.b(), "B " + l);
        assertEquals(TRUE.alpha(), l.alpha(), 0.05 * TRUE.alpha(), "alpha " + l);
        assertEquals(TRUE.beta(), l.beta(), 0.05 * TRUE.beta(), "beta " + l);
        double[][] ci = r.intervals();
        assertTrue(ci[3][0] <= l.alpha() && l.alpha() <= ci[3][1], "the fit lies in its own interval");
    }

    @Test
    void theLargestRunsHeldOutArePredictedWithinTwoPercent() {
        double cut = 6 * 1e8 * 1e10;
        ChinchillaFit.Result r = ChinchillaFit.fit(runs(0.003, 2, cut), 0, 0);
        for (ChinchillaFit.Run big : runs(0, 3, Double.MAX_VALUE)) {
            if (6 * big.parameters() * big.tokens() > cut) {
                double predicted = r.law().loss(big.parameters(), big.tokens());
                assertEquals(big.loss(), predicted, 0.02 * big.loss(), "N " + big.parameters() + " D " + big.tokens());
            }
        }
    }

    @Test
    void theComputeOptimalSplitSpendsTheBudgetAndMinimisesTheLoss() {
        double c = 5.76e23; // Chinchilla's own budget
        double[] opt = TRUE.optimal(c);
        assertEquals(c, 6 * opt[0] * opt[1], 1e-9 * c);
        double best = TRUE.loss(opt[0], opt[1]);
        for (double f : new double[] {0.5, 0.8, 1.25, 2}) {
            assertTrue(TRUE.loss(opt[0] * f, opt[1] / f) > best, "any other split of C loses more");
        }
    }

    @Test
    void tooFewRunsAreRefused() {
        assertThrows(
                IllegalArgumentException.class, () -> ChinchillaFit.fit(List.of(new ChinchillaFit.Run(1e6, 1e8, 3.0))));
    }
}
