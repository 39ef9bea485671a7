package dev.tokenmill.quality.active;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strategies on hand-made pools: what each picks, determinism, and the stratified allocation. */
class LabelQueueTest {
    private static LabelQueue.Candidate c(String id, double p, int... features) {
        return new LabelQueue.Candidate(id, null, p, features);
    }

    private static List<String> ids(List<LabelQueue.Candidate> cs) {
        return cs.stream().map(LabelQueue.Candidate::id).toList();
    }

    @Test
    void uncertaintyMarginAndEntropyPickTheScoresNearestOneHalf() {
        List<LabelQueue.Candidate> pool =
                List.of(c("sure-no", 0.02), c("near", 0.48), c("sure-yes", 0.97), c("nearer", 0.51), c("mid", 0.7));
        for (LabelQueue.Strategy s :
                List.of(LabelQueue.Strategy.UNCERTAINTY, LabelQueue.Strategy.MARGIN, LabelQueue.Strategy.ENTROPY)) {
            assertEquals(List.of("nearer", "near", "mid"), ids(LabelQueue.pick(pool, 3, s, 1)), s.name());
        }
        assertEquals(
                5, LabelQueue.pick(pool, 10, LabelQueue.Strategy.UNCERTAINTY, 1).size());
    }

    @Test
    void randomIsSeeded() {
        List<LabelQueue.Candidate> pool = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            pool.add(c("d" + i, i / 100.0));
        }
        List<String> a = ids(LabelQueue.pick(pool, 10, LabelQueue.Strategy.RANDOM, 7));
        assertEquals(a, ids(LabelQueue.pick(pool, 10, LabelQueue.Strategy.RANDOM, 7)));
        assertNotEquals(a, ids(LabelQueue.pick(pool, 10, LabelQueue.Strategy.RANDOM, 8)));
        assertNotEquals(ids(pool.subList(0, 10)), a);
    }

    @Test
    void diverseSkipsNearCopiesOfOneUncertainDocument() {
        List<LabelQueue.Candidate> pool = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pool.add(c("copy" + i, 0.5, 1, 2, 3, 4)); // ten copies, the most uncertain of all
        }
        for (int i = 0; i < 10; i++) {
            pool.add(c("other" + i, 0.4, 100 + 10 * i, 101 + 10 * i, 102 + 10 * i));
        }
        List<String> uncertain = ids(LabelQueue.pick(pool, 4, LabelQueue.Strategy.UNCERTAINTY, 3));
        assertTrue(uncertain.stream().allMatch(id -> id.startsWith("copy")), uncertain.toString());
        List<String> diverse = ids(LabelQueue.pick(pool, 4, LabelQueue.Strategy.DIVERSE, 3));
        assertEquals(1, diverse.stream().filter(id -> id.startsWith("copy")).count(), diverse.toString());
        assertEquals(4, diverse.size());
        assertEquals(0.5, LabelQueue.distance(new int[] {1, 2, 3}, new int[] {2, 3, 4}), 1e-12);
    }

    @Test
    void strataGetLabelsInProportionToTheirSize() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        sizes.put("web", 900L);
        sizes.put("books", 90L);
        sizes.put("code", 10L);
        Map<String, Integer> a = LabelQueue.allocate(sizes, 50);
        assertEquals(50, a.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(45, a.get("web"));
        assertTrue(a.get("books") == 4 || a.get("books") == 5, a.toString());
        Map<String, Long> small = new LinkedHashMap<>();
        small.put("a", 2L);
        small.put("b", 100L);
        Map<String, Integer> b = LabelQueue.allocate(small, 200);
        assertEquals(Map.of("a", 2, "b", 100), b, "never more than a stratum holds");
    }
}
