package dev.tokenmill.quality.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongCounterTest {
    @Test
    void countsAndFirstPositionsMatchAHashMapAcrossPresizingGrowthAndShrinking() {
        LongCounter counter = new LongCounter();
        SplittableRandom random = new SplittableRandom(7);
        // expected sizes below, at and far above the real number of keys; then a small document after a huge one
        int[][] cases = {{10, 5_000}, {3_000, 3_000}, {200_000, 150_000}, {0, 40}, {1_024, 1_025}, {50, 1}};
        for (int[] c : cases) {
            counter.clear(c[0]);
            Map<Long, int[]> reference = new HashMap<>();
            int distinct = c[1];
            for (int pos = 0; pos < distinct * 3; pos++) {
                long key = random.nextInt(distinct) * 0x9E3779B97F4A7C15L; // includes key 0 (the empty marker)
                int[] ref = reference.computeIfAbsent(key, k -> new int[] {0, -1});
                ref[0]++;
                if (ref[1] < 0) {
                    ref[1] = pos;
                }
                assertEquals(ref[0], counter.increment(key, pos), "count of " + key);
                assertEquals(ref[1], counter.lastFirst(), "first position of " + key);
            }
        }
        counter.clear();
        assertEquals(true, counter.add(42L));
        assertEquals(false, counter.add(42L));
    }
}
