package dev.tokenmill.jobs.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FileSizingTest {
    private static final long MIB = 1L << 20;

    @Test
    void smallTablesAreNotSplit() {
        assertEquals(0, FileSizing.rowsPerFile(100, 5 * MIB, 8)); // at most MIN_ROWS rows
        assertEquals(0, FileSizing.rowsPerFile(5_000, 0, 8)); // no text
    }

    /** A table of 8 MiB on 4 cores: four files of 2 MiB (1,000 rows of 2 KiB each). */
    @Test
    void atLeastOneFilePerCore() {
        assertEquals(1_000, FileSizing.rowsPerFile(4_000, 8 * MIB, 4));
    }

    /** 1 GiB in 100,000 rows on 2 cores: capped at 64 MiB per file: 6,250 rows of 10,737.4 bytes. */
    @Test
    void filesAreCappedAt64MiB() {
        assertEquals(6_250, FileSizing.rowsPerFile(100_000, 1024 * MIB, 2));
    }

    @Test
    void neverFewerThanMinRowsPerFile() {
        assertEquals(100, FileSizing.rowsPerFile(1_000, 1_000_000, 1_000)); // 1,000 cores: 1 row each → 100
    }
}
