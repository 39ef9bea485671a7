package dev.tokenmill.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run with a grid is one configuration per combination, named after its values, on top of base and its own. */
class SweepGridTest {
    @Test
    void aGridExpandsIntoEveryCombination() {
        List<SweepKind.Entry> e = SweepKind.entries(
                List.of(
                        Map.of("name", "ref", "data", "tokens/a"),
                        Map.of(
                                "name",
                                "scale",
                                "data",
                                "tokens/a",
                                "layers",
                                2,
                                "grid",
                                new java.util.LinkedHashMap<>(Map.of("d_model", List.of(32, 64))) {
                                    {
                                        put("steps", List.of(100, 200, 400));
                                    }
                                })),
                Map.of("steps", 50, "lr", 0.003));
        assertEquals(7, e.size());
        assertEquals("ref", e.get(0).name());
        assertEquals(50, e.get(0).settings().get("steps"));
        assertEquals("scale-d_model=32-steps=100", e.get(1).name());
        assertEquals("scale-d_model=64-steps=400", e.get(6).name());
        assertEquals(64, e.get(6).settings().get("d_model"));
        assertEquals(400, e.get(6).settings().get("steps"));
        assertEquals(2, e.get(6).settings().get("layers"));
        assertEquals(0.003, e.get(6).settings().get("lr"));
        assertThrows(
                IllegalArgumentException.class,
                () -> SweepKind.entries(
                        List.of(Map.of("name", "x", "data", "t", "grid", Map.of("d_model", List.of()))), null));
    }
}
