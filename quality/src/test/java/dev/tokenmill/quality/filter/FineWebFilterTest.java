package dev.tokenmill.quality.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FineWebFilterTest {
    private final double[] out = new double[4];

    @Test
    void presetsFollowTheWriteUpOrTheCode() {
        assertEquals(
                0.1, new FineWebFilter(FineWebFilter.NAME, null).thresholds().get("max_char_dup_ratio"));
        assertEquals(
                0.01,
                new FineWebFilter(FineWebFilter.DATATROVE, null).thresholds().get("max_char_dup_ratio"));
        Map<String, Double> t =
                new FineWebFilter(FineWebFilter.NAME, null).thresholds().asMap();
        assertEquals(0.12, t.get("min_line_punct_ratio"));
        assertEquals(0.67, t.get("max_short_line_ratio"));
        assertEquals(30.0, t.get("short_line_length"));
        assertEquals(0.3, t.get("max_list_ratio"));
    }

    @Test
    void signalsByHand() {
        String text = "aaaa.\nbbbb\nbbbb\ncccc"; // 4 lines, 17 characters without newlines, 5 tokens, 3 newlines
        TextFilter.Outcome o = new FineWebFilter(FineWebFilter.NAME, Map.of()).evaluate(text, out, 0);
        assertEquals(0.25, out[0], 1e-12);
        assertEquals(1.0, out[1], 1e-12);
        assertEquals(4.0 / 17, out[2], 1e-12);
        assertEquals(3.0 / 5, out[3], 1e-12);
        assertEquals("fineweb_short_line_ratio", o.rule());
        TextFilter.Outcome next =
                new FineWebFilter(FineWebFilter.NAME, Map.of("short_line_length", 2)).evaluate(text, out, 0);
        assertEquals("fineweb_char_dup_ratio", next.rule());
    }

    @Test
    void punctuationBoundary() {
        String longLine = "this line is long enough to not count as a short line at all";
        // 25 long lines, numbered so that none is a duplicate, 3 of them ending in '.'
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            sb.append(longLine).append(' ').append(i).append(i < 3 ? ".\n" : "\n");
        }
        FineWebFilter f = new FineWebFilter(FineWebFilter.NAME, Map.of());
        assertNull(f.evaluate(sb.toString(), out, 0).rule(), "3/25 = 0.12 is kept");
        assertEquals(0.12, out[0], 1e-12);
        StringBuilder fewer = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            fewer.append(longLine).append(' ').append(i).append(i < 2 ? ".\n" : "\n");
        }
        assertEquals(
                "fineweb_line_punct_ratio", f.evaluate(fewer.toString(), out, 0).rule());
    }

    @Test
    void listLikeTextIsDropped() {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            list.append("item number ").append(i).append(" is here and it is fine.\n");
        }
        FineWebFilter f = new FineWebFilter(FineWebFilter.NAME, Map.of());
        assertNull(f.evaluate(list.toString(), out, 0).rule());
        TextFilter.Outcome o =
                new FineWebFilter(FineWebFilter.NAME, Map.of("max_list_ratio", 0.05)).evaluate(list.toString(), out, 0);
        assertEquals("fineweb_list_ratio", o.rule());
        assertEquals(20.0 / 200, o.value(), 1e-12); // 10 tokens a line, the final '.' included
    }
}
