package dev.tokenmill.tokenizer.unigram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The suffix-array seeds against brute force: every node's frequency is its weighted occurrence count. */
class SeedPiecesTest {
    @Test
    void seedFrequenciesAreCorpusOccurrences() {
        SplittableRandom r = new SplittableRandom(11);
        List<int[]> words = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        long[] counts = new long[300];
        for (int w = 0; w < counts.length; w++) {
            StringBuilder sb = new StringBuilder("▁");
            int len = r.nextInt(1, 9);
            for (int i = 0; i < len; i++) {
                sb.append((char) ('a' + r.nextInt(4)));
            }
            if (strings.contains(sb.toString())) {
                w--;
                continue;
            }
            strings.add(sb.toString());
            words.add(sb.toString().codePoints().toArray());
            counts[w] = r.nextInt(1, 50);
        }
        List<SeedPieces.Seed> seeds = SeedPieces.find(words, counts, 16, 1_000_000, (t, s, l) -> true);
        assertTrue(seeds.size() > 100, "found " + seeds.size());
        Map<String, Long> occurrences = new HashMap<>();
        for (int w = 0; w < strings.size(); w++) {
            String s = strings.get(w);
            for (int i = 0; i < s.length(); i++) {
                for (int j = i + 2; j <= s.length(); j++) {
                    occurrences.merge(s.substring(i, j), counts[w], Long::sum);
                }
            }
        }
        for (SeedPieces.Seed s : seeds) {
            assertEquals(occurrences.get(s.piece()) * s.piece().length(), s.score(), s.piece());
        }
        // the most frequent pair of symbols is among the seeds
        String top = occurrences.entrySet().stream()
                .filter(e -> e.getKey().length() == 2)
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        assertTrue(
                seeds.stream()
                        .anyMatch(s -> s.piece().startsWith(top) || s.piece().equals(top)),
                top);
    }
}
