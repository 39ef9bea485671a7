package dev.tokenmill.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {
    @Test
    void unknownParameterIsNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new Params("normalize", Map.of("frm", "NFC")).allowOnly("form"));
        assertTrue(e.getMessage().contains("'frm'"), e.getMessage());
        assertTrue(e.getMessage().contains("form"), e.getMessage());
    }

    @Test
    void typedValuesAndDefaults() {
        Params p = new Params("s", Map.of("n", 3, "b", "false", "f", "nfkc"));
        assertEquals(3, p.integer("n", 1, 0, 10));
        assertEquals(7, p.integer("missing", 7, 0, 10));
        assertFalse(p.bool("b", true));
        assertEquals("NFKC", p.oneOf("f", "NFC", "NFC", "NFKC"));
    }

    @Test
    void badValuesAreRejectedWithTheirName() {
        Params p = new Params("s", Map.of("n", 30, "b", "yes", "x", "abc"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.integer("n", 1, 0, 10))
                .getMessage()
                .contains("'n'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.bool("b", true))
                .getMessage()
                .contains("'b'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.integer("x", 1, 0, 10))
                .getMessage()
                .contains("integer"));
    }
}
