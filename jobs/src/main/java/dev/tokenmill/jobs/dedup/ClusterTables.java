package dev.tokenmill.jobs.dedup;

import dev.tokenmill.jobs.lake.Lineage;
import java.util.List;

/** Where a dedup-fuzzy run wrote its cluster table, from its lineage. */
public final class ClusterTables {
    private ClusterTables() {}

    /** {@code name@version} when the run recorded the version it wrote, else the configured name; null when none. */
    public static String written(Lineage lineage) {
        Object clusters = lineage.config().get("clusters");
        Object written = lineage.config().get("side_tables_written");
        if (clusters == null) {
            return null;
        }
        if (written instanceof List<?> list) {
            for (Object w : list) {
                String s = String.valueOf(w);
                if (s.startsWith(clusters + "@")) {
                    return s;
                }
            }
        }
        return clusters.toString();
    }
}
