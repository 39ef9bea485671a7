package dev.tokenmill.dedup.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.dedup.minhash.ShingleSet;
import dev.tokenmill.dedup.minhash.Shingler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The benchmark generator and its scoring: seeded, exact Jaccard labels, ARI and pair counts by hand. */
class NearDuplicateCorpusTest {
    /** Pseudo-text: sentences of random words from a 2,000-word vocabulary, grouped in "books" of 10 passages. */
    private static List<NearDuplicateCorpus.Source> sources(int n) {
        SplittableRandom random = new SplittableRandom(3);
        List<NearDuplicateCorpus.Source> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 200; w++) {
                sb.append("w").append(random.nextInt(2000)).append(w % 12 == 11 ? ". " : " ");
            }
            out.add(new NearDuplicateCorpus.Source(
                    "s" + i, "book" + i / 10, sb.toString().trim()));
        }
        return out;
    }

    @Test
    void sameSeedSameCorpusAndLabelsAreExactJaccard() {
        Shingler shingler = new Shingler(Shingler.Unit.WORD, 5, 1);
        NearDuplicateCorpus.Corpus a = NearDuplicateCorpus.generate(sources(100), 20, 7, 50, 9, shingler);
        NearDuplicateCorpus.Corpus b = NearDuplicateCorpus.generate(sources(100), 20, 7, 50, 9, shingler);
        assertEquals(a, b);
        assertNotEquals(a, NearDuplicateCorpus.generate(sources(100), 20, 7, 50, 10, shingler));
        assertEquals(20 * 7 + 20, a.pairs().size(), "7 variants and one hard negative per original");
        Map<String, String> text = new HashMap<>();
        a.docs().forEach(d -> text.put(d.id(), d.text()));
        for (NearDuplicateCorpus.Pair p : a.pairs()) {
            assertEquals(
                    ShingleSet.jaccard(
                            NearDuplicateCorpus.set(shingler, text.get(p.a())),
                            NearDuplicateCorpus.set(shingler, text.get(p.b()))),
                    p.jaccard(),
                    1e-12);
            if (p.kind().equals("hard-negative")) {
                assertTrue(p.jaccard() < 0.05, "a sibling passage shares no 5-grams: " + p.jaccard());
            }
        }
        // more edits, less overlap: 1 % word edits stay over 0.7, 50 % fall far below
        double low = a.pairs().stream()
                .filter(p -> p.edit().equals("word") && p.rate() == 0.01)
                .mapToDouble(NearDuplicateCorpus.Pair::jaccard)
                .average()
                .orElseThrow();
        double high = a.pairs().stream()
                .filter(p -> p.edit().equals("word") && p.rate() == 0.5)
                .mapToDouble(NearDuplicateCorpus.Pair::jaccard)
                .average()
                .orElseThrow();
        assertTrue(low > 0.8 && high < 0.1, low + " / " + high);
    }

    @Test
    void truncationKeepsThePrefix() {
        String text = "one two three four five six seven eight nine ten";
        assertEquals(
                "one two three four five six seven",
                NearDuplicateCorpus.edit(text, "truncate", 0.3, List.of("x"), new SplittableRandom(1)));
    }

    @Test
    void shingleSetJaccard() {
        byte[] x = ShingleSet.pack(new long[] {5, 1, 3, 3, 9}, 5);
        byte[] y = ShingleSet.pack(new long[] {3, 9, 11, 1L << 40}, 4);
        assertEquals(4 * Integer.BYTES, x.length, "sorted and de-duplicated");
        assertEquals(2.0 / 6.0, ShingleSet.jaccard(x, y), 1e-12);
        assertEquals(1.0, ShingleSet.jaccard(x, x), 1e-12);
        assertEquals(0.0, ShingleSet.jaccard(new byte[0], new byte[0]));
    }

    @Test
    void adjustedRandIndexByHand() {
        List<String> ids = List.of("a", "b", "c", "d", "e", "f");
        Map<String, String> x = Map.of("a", "1", "b", "1", "c", "1", "d", "2", "e", "2", "f", "3");
        assertEquals(1.0, DedupScores.adjustedRandIndex(ids, x::get, x::get), 1e-12);
        Map<String, String> y = Map.of("a", "1", "b", "1", "c", "2", "d", "2", "e", "3", "f", "3");
        // contingency: {a,b}, {c}, {d}, {e}, {f} → index 1; sums 3+1=4 and 3; expected 4·3/15 = 0.8; max 3.5
        assertEquals((1 - 0.8) / (3.5 - 0.8), DedupScores.adjustedRandIndex(ids, x::get, y::get), 1e-12);
    }
}
