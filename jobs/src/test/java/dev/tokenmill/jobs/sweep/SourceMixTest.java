package dev.tokenmill.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.train.data.PackedSamples;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-run mixtures drawn on the fly: exact counts, epoch caps, whole passes before repeats, seeded order. */
class SourceMixTest {
    /** A source of {@code n} one-token windows whose token is {@code base + window index}. */
    private static PackedSamples source(int n, int base) {
        List<int[]> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            w.add(new int[] {base + i});
        }
        return PackedSamples.of(w);
    }

    private static int[] tokens(SourceMix.Mixed m) {
        int[] t = new int[m.samples().size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = m.samples().tokens(i, 1)[0];
        }
        return t;
    }

    @Test
    void countsFollowTheWeightsAndEveryWindowIsFromItsSource() {
        List<SourceMix.Source> sources = List.of(
                new SourceMix.Source("a", source(100, 0), 1, 4), new SourceMix.Source("b", source(1000, 10_000), 3, 4));
        SourceMix.Mixed m = SourceMix.draw(sources, 401, 7);
        assertEquals(401, m.samples().size());
        assertEquals(100, m.drawn().get(0).windows(), "100.25 and 300.75 rounded by largest remainder");
        assertEquals(301, m.drawn().get(1).windows());
        long fromA = java.util.Arrays.stream(tokens(m)).filter(t -> t < 10_000).count();
        assertEquals(100, fromA);
        // a: one whole pass (every window once); b: 301 distinct windows of its 1,000
        Map<Integer, Integer> seen = new HashMap<>();
        for (int t : tokens(m)) {
            seen.merge(t, 1, Integer::sum);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(1, seen.getOrDefault(i, 0), "window " + i + " of a is in its whole pass");
        }
        assertEquals(301, seen.keySet().stream().filter(t -> t >= 10_000).count());
    }

    @Test
    void aCappedSourceGivesItsShareToTheOthers() {
        List<SourceMix.Source> sources = List.of(
                new SourceMix.Source("small", source(10, 0), 9, 2),
                new SourceMix.Source("big", source(1000, 10_000), 1, 4));
        SourceMix.Mixed m = SourceMix.draw(sources, 100, 1);
        assertEquals(20, m.drawn().get(0).windows(), "at most 2 epochs of 10");
        assertEquals(2.0, m.drawn().get(0).epochs(), 1e-12);
        assertEquals(80, m.drawn().get(1).windows());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SourceMix.draw(List.of(new SourceMix.Source("small", source(10, 0), 1, 2)), 21, 1));
        assertTrue(e.getMessage().contains("raise max_epochs"), e.getMessage());
    }

    @Test
    void theDrawIsSeeded() {
        List<SourceMix.Source> sources = List.of(
                new SourceMix.Source("a", source(50, 0), 1, 4), new SourceMix.Source("b", source(50, 1000), 1, 4));
        assertArrayEquals(tokens(SourceMix.draw(sources, 60, 3)), tokens(SourceMix.draw(sources, 60, 3)));
        assertNotEquals(
                java.util.Arrays.toString(tokens(SourceMix.draw(sources, 60, 3))),
                java.util.Arrays.toString(tokens(SourceMix.draw(sources, 60, 4))));
        // the last tenth (what a trainer holds out) holds both sources, not only the last one
        int[] t = tokens(SourceMix.draw(sources, 60, 3));
        long tailFromA =
                java.util.Arrays.stream(t, 54, 60).filter(x -> x < 1000).count();
        assertTrue(tailFromA > 0 && tailFromA < 6, "tail from a: " + tailFromA);
    }
}
