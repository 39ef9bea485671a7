package dev.tokenmill.jobs.lake;

/**
 * How many rows to put in one data file. A stage's output should be several files even when one task wrote it
 * (one gzip input file is one task), because a Parquet file of one row group is read by one task: too few files
 * and the next stage runs on one core. Target: at most 64 MiB of UTF-8 text per file, and at least as many files
 * as the session has cores. Sizes are byte lengths: Spark knows them without decoding the text (counting characters
 * scans every byte, a measurable share of a cheap stage).
 */
public final class FileSizing {
    private static final long TARGET_BYTES = 64L << 20;
    private static final long MIN_ROWS = 100;

    private FileSizing() {}

    /** Rows per file for a table of {@code rows} rows and {@code textBytes} bytes of UTF-8 text; 0 = no limit. */
    public static long rowsPerFile(long rows, long textBytes, int cores) {
        if (rows <= MIN_ROWS || textBytes <= 0) {
            return 0;
        }
        long bytesPerFile = Math.min(TARGET_BYTES, Math.max(1, textBytes / Math.max(1, cores)));
        double bytesPerRow = (double) textBytes / rows;
        return Math.max(MIN_ROWS, (long) Math.ceil(bytesPerFile / bytesPerRow));
    }
}
