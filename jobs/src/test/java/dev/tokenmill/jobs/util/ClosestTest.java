package dev.tokenmill.jobs.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** "Did you mean": typos of a table name find it, unrelated names find nothing. */
class ClosestTest {
    private static final List<String> TABLES =
            List.of("raw/europarl", "tokens/europarl", "tokens/ablate-heldout", "mixes/europarl", "sweeps/ablate");

    @Test
    void typosFindTheirTableAndStrangersFindNothing() {
        assertEquals(List.of("tokens/europarl"), Closest.of("tokens/europar", TABLES, 3));
        assertEquals(List.of("mixes/europarl"), Closest.of("Mixes/Europarl", TABLES, 3));
        assertEquals(List.of("sweeps/ablate"), Closest.of("sweep/ablate", TABLES, 3));
        assertEquals(List.of(), Closest.of("models/lm", TABLES, 3));
        assertEquals(3, Closest.distance("kitten", "sitting"));
    }
}
