package dev.tokenmill.jobs.lake;

/**
 * How many rows to put in one data file. A stage's output should be several files even when one task wrote it
 * (one gzip input file is one task), because a Parquet file of one row group is read by one task: too few files
 * and the next stage runs on one core. Target: at most 64 M text characters per file, and at least as many files
 * as the session has cores.
 */
public final class FileSizing {
    private static final long TARGET_CHARS = 64L << 20;
    private static final long MIN_ROWS = 100;

    private FileSizing() {
    }

    /** Rows per file for a table of {@code rows} rows and {@code textChars} characters of text; 0 = no limit. */
    public static long rowsPerFile(long rows, long textChars, int cores) {
        if (rows <= MIN_ROWS || textChars <= 0) {
            return 0;
        }
        long charsPerFile = Math.min(TARGET_CHARS, Math.max(1, textChars / Math.max(1, cores)));
        double charsPerRow = (double) textChars / rows;
        return Math.max(MIN_ROWS, (long) Math.ceil(charsPerFile / charsPerRow));
    }
}
