package dev.tokenmill.jobs.lake.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter subset without Spark: Spark's semantics (three-valued logic, UTF-8 order, numeric coercion). */
class RowFilterTest {
    private static final Map<String, RowFilter.Kind> SCHEMA = new LinkedHashMap<>();

    static {
        SCHEMA.put("rule", RowFilter.Kind.STRING);
        SCHEMA.put("n", RowFilter.Kind.INTEGRAL);
        SCHEMA.put("x", RowFilter.Kind.FRACTIONAL);
        SCHEMA.put("d", RowFilter.Kind.DECIMAL);
        SCHEMA.put("ok", RowFilter.Kind.BOOLEAN);
        SCHEMA.put("tags", RowFilter.Kind.OTHER);
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> r = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            r.put((String) kv[i], kv[i + 1]);
        }
        return r;
    }

    private static boolean keeps(String where, Map<String, Object> row) {
        return RowFilter.parse(where, SCHEMA).keeps(row);
    }

    @Test
    void comparisonsAndLists() {
        Map<String, Object> r = row("rule", "empty-text", "n", 5L, "x", 0.5, "d", new BigDecimal("1.250"), "ok", true);
        assertTrue(keeps("rule = 'empty-text'", r));
        assertTrue(keeps("rule == \"empty-text\"", r));
        assertTrue(keeps("RULE <> 'x' AND n >= 5 and n < 6", r));
        assertTrue(keeps("n in (1, 5, 9)", r));
        assertFalse(keeps("n not in (1, 5, 9)", r));
        assertTrue(keeps("n = 5.0", r));
        assertFalse(keeps("n = 5.5", r));
        assertTrue(keeps("n > 4.5", r));
        assertTrue(keeps("x = 0.5 and x > -1", r));
        assertTrue(keeps("d = 1.25", r));
        assertTrue(keeps("ok = true and not (ok = false)", r));
        assertTrue(keeps("`rule` = 'x'", row("rule", "x")));
    }

    @Test
    void nullsAreUnknown() {
        Map<String, Object> r = row("rule", null, "n", 1L);
        assertFalse(keeps("rule = 'a'", r));
        assertFalse(keeps("rule != 'a'", r));
        assertFalse(keeps("not (rule = 'a')", r));
        assertTrue(keeps("rule = 'a' or n = 1", r));
        assertFalse(keeps("rule = 'a' and n = 1", r));
        assertTrue(keeps("rule is null and n is not null", r));
        assertFalse(keeps("n not in (2, null)", r), "x not in (..., null) is never true");
        assertTrue(keeps("n in (1, null)", r));
    }

    @Test
    void stringsCompareByUtf8BytesAsSparkDoes() {
        // U+FF5E is above U+1F600 in UTF-16 code units but below it in UTF-8 bytes
        assertTrue(keeps("rule < '😀'", row("rule", "～")));
        assertTrue("～".compareTo("😀") > 0, "Java's own order differs");
    }

    @Test
    void doublesFollowSparkNaNOrder() {
        assertTrue(keeps("x > 1000", row("x", Double.NaN)), "NaN is above every number");
        assertTrue(keeps("x = 0", row("x", -0.0)));
        assertFalse(keeps("x <= 0.3", row("x", (double) 0.3f)), "a float is widened to double, as Spark does");
    }

    @Test
    void theRestGoesToSpark() {
        for (String where : List.of(
                "length(rule) > 3",
                "n + 1 > 3",
                "rule like 'a%'",
                "n = '5'",
                "rule = 5",
                "tags is null and tags = 'x'",
                "rule = 'it\\'s'",
                "n between 1 and 3",
                "x > 1e3",
                "rule = 'a' 'b'")) {
            assertThrows(RowFilter.Unsupported.class, () -> RowFilter.parse(where, SCHEMA), where);
        }
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> RowFilter.parse("rules = 'x'", SCHEMA));
        assertEquals("rules", unknown.getMessage());
    }
}
