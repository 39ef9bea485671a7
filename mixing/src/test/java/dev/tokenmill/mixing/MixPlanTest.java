package dev.tokenmill.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MixPlanTest {
    @Test
    void weightsSplitTheTarget() {
        List<MixPlan.Allocation> a = MixPlan.allocate(
                List.of(new MixPlan.Source("big", 1000, 3, 4), new MixPlan.Source("small", 100, 1, 4)), 400, null);
        assertEquals(300, a.get(0).budget(), 1e-9);
        assertEquals(100, a.get(1).budget(), 1e-9);
        assertEquals(1.0, a.get(1).epochs(), 1e-12);
        assertEquals(0.3, a.get(0).epochs(), 1e-12);
        assertEquals(0, a.get(0).fullEpochs());
        assertEquals(300, a.get(0).partialUnits(), 1e-9);
    }

    @Test
    void aCappedSourceHandsItsExcessToTheOthers() {
        List<MixPlan.Allocation> a = MixPlan.allocate(
                List.of(
                        new MixPlan.Source("big", 1000, 1, 1),
                        new MixPlan.Source("mid", 500, 1, 2),
                        new MixPlan.Source("small", 50, 1, 2)),
                900,
                null);
        assertTrue(a.get(2).capped());
        assertEquals(100, a.get(2).budget(), 1e-9, "2 epochs of 50");
        assertEquals(400, a.get(0).budget(), 1e-9);
        assertEquals(400, a.get(1).budget(), 1e-9);
        assertEquals(900, a.stream().mapToDouble(MixPlan.Allocation::budget).sum(), 1e-9);
        assertFalse(a.get(0).capped());
    }

    @Test
    void temperatureFlattensShares() {
        List<MixPlan.Allocation> a = MixPlan.allocate(
                List.of(new MixPlan.Source("big", 900, 0, 10), new MixPlan.Source("small", 100, 0, 10)), 1000, 0.5);
        assertEquals(30.0 / 40, a.get(0).targetShare(), 1e-12); // 900^0.5 = 30, 100^0.5 = 10
        assertEquals(250, a.get(1).budget(), 1e-9);
        assertEquals(2.5, a.get(1).epochs(), 1e-12);
        assertEquals(2, a.get(1).fullEpochs());
    }

    @Test
    void whenEveryCapBindsTheMixtureIsSmaller() {
        List<MixPlan.Allocation> a = MixPlan.allocate(
                List.of(new MixPlan.Source("a", 10, 1, 1), new MixPlan.Source("b", 10, 1, 1)), 100, null);
        assertEquals(20, a.stream().mapToDouble(MixPlan.Allocation::budget).sum(), 1e-9);
    }
}
