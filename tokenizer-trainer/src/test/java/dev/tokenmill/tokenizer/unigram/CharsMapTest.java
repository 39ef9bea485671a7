package dev.tokenmill.tokenizer.unigram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The normalisation table, its darts-clone export, and SentencePiece's whitespace rules. */
class CharsMapTest {
    @Test
    void nfkcComposesAndFoldsCompatibilityForms() {
        CharsMap m = CharsMap.nfkc();
        assertEquals("financial", m.apply("ﬁnancial"));
        assertEquals("ABC 1", m.apply("ＡＢＣ ①"));
        assertEquals("café", m.apply("cafe\u0301"));
        assertEquals("Ǻ", m.apply("A\u030A\u0301"));
        assertEquals("zerowidth", m.apply("zero\u200Bwidth"));
        assertEquals("a b c", m.apply("a\u00A0b\u3000c"));
        assertEquals("tab\tand\nnewline", m.apply("tab\tand\nnewline"));
        assertEquals("plain ASCII stays the same object", m.apply("plain ASCII stays the same object"));
    }

    @Test
    void precompiledMapRoundTripsThroughTheDoubleArray() {
        CharsMap m = CharsMap.nfkc();
        CharsMap back = CharsMap.fromPrecompiled(m.toPrecompiled());
        assertEquals(m.rules(), back.rules());
    }

    @Test
    void doubleArrayFindsTheLongestPrefix() {
        Map<String, Integer> keys = new TreeMap<>(Map.of("a", 1, "ab", 2, "abcd", 3, "b", 4, "é", 5, "éa", 6));
        List<byte[]> bytes = new ArrayList<>();
        int[] values = new int[keys.size()];
        int i = 0;
        for (Map.Entry<String, Integer> e : keys.entrySet()) {
            bytes.add(e.getKey().getBytes(StandardCharsets.UTF_8));
            values[i++] = e.getValue();
        }
        DoubleArrayTrie t = DoubleArrayTrie.build(bytes, values);
        assertArrayEquals(new int[] {2, 2}, t.longestPrefix("abc".getBytes(StandardCharsets.UTF_8), 0));
        assertArrayEquals(new int[] {4, 3}, t.longestPrefix("abcd!".getBytes(StandardCharsets.UTF_8), 0));
        assertArrayEquals(new int[] {3, 6}, t.longestPrefix("éab".getBytes(StandardCharsets.UTF_8), 0));
        assertArrayEquals(new int[] {1, 4}, t.longestPrefix("xb".getBytes(StandardCharsets.UTF_8), 1));
        assertNull(t.longestPrefix("c".getBytes(StandardCharsets.UTF_8), 0));
        Map<String, Integer> seen = new TreeMap<>();
        t.forEach((k, v) -> seen.put(new String(k, StandardCharsets.UTF_8), v));
        assertEquals(keys, seen);
    }

    @Test
    void whitespaceIsEscapedAndExtraSpacesDropped() {
        SpmNormalizer n = SpmNormalizer.of("nfkc", true, true);
        assertEquals("▁Hello▁world", n.normalize("  Hello   world  "));
        assertEquals("", n.normalize("   "));
        SpmNormalizer keep = SpmNormalizer.of("identity", true, false);
        assertEquals("▁▁Hello▁▁world▁", keep.normalize(" Hello  world "));
        assertEquals(" Hello  world ", keep.denormalize(keep.normalize(" Hello  world ")));
    }
}
