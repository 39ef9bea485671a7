package dev.tokenmill.jobs.recipe;

import dev.tokenmill.jobs.ingest.IngestJob;

/** The one-line summary of an ingest, shared by the {@code ingest} verb and recipe runs. */
public final class IngestReport {
    private IngestReport() {}

    public static String line(String source, IngestJob.Result r, double seconds) {
        String quarantined = r.quarantined() == 0
                ? "0 quarantined"
                : String.format(
                        "%,d quarantined %s → quarantine/%s (%,d new, %,d already there)",
                        r.quarantined(),
                        r.quarantinedByRule(),
                        source,
                        r.quarantinedNew(),
                        r.quarantined() - r.quarantinedNew());
        return String.format(
                "ingest %s → raw/%s@%d: %,d record(s) from %d file(s): %,d added, %,d already present, %s (%.1f s)",
                source,
                source,
                r.version(),
                r.records(),
                r.files(),
                r.added(),
                r.alreadyPresent(),
                quarantined,
                seconds);
    }
}
