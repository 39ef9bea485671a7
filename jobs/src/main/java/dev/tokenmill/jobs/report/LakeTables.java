package dev.tokenmill.jobs.report;

import dev.tokenmill.jobs.lake.Commit;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The tables of a lake at their latest versions, and which of them are stage outputs (the steps of the funnel). */
public final class LakeTables {
    private LakeTables() {}

    /** A table at its latest version; {@code lineage} is null for tables no tokenmill stage wrote. */
    public record Entry(String table, long version, Lineage lineage) {
        /**
         * True for a stage that changes what a row is rather than dropping rows: mix resamples sources (documents may
         * repeat or be left out by design), tokenize packs documents into fixed-length samples, eval, generate, sweep
         * and mix-search write scores, generations and runs. Its rows in and out are not a funnel step's kept and
         * dropped.
         */
        public boolean changesUnits() {
            return lineage != null && RESHAPING_STAGES.contains(lineage.stage());
        }
    }

    public static final Set<String> RESHAPING_STAGES =
            Set.of("mix", "tokenize", "eval", "generate", "sweep", "mix-search");

    public static List<Entry> latest(Lake lake) {
        List<Entry> entries = new ArrayList<>();
        for (String name : lake.listTables()) {
            TableLocation t = lake.locate(name);
            Commit latest = lake.history(t).get(0);
            entries.add(new Entry(name, latest.version(), latest.lineage()));
        }
        return entries;
    }

    /**
     * A stage's main output, in the order the stages ran: not a rejected or side table (they carry their stage's
     * lineage too), not ingest (which counts what a batch added, not a funnel step), and with rows in.
     */
    public static List<Entry> stageOutputs(List<Entry> entries) {
        Set<String> notMain = new HashSet<>();
        for (Entry e : entries) {
            if (e.lineage() == null) {
                continue;
            }
            if (e.lineage().rejectedTable() != null) {
                notMain.add(e.lineage().rejectedTable());
            }
            if (e.lineage().config() != null) {
                // side tables are named in their stage's config (clusters: …, index: …), main outputs never are
                e.lineage().config().values().forEach(v -> {
                    if (v instanceof String name) {
                        notMain.add(name);
                    }
                });
                if (e.lineage().config().get("side_tables_written") instanceof List<?> side) {
                    side.forEach(w -> notMain.add(String.valueOf(w).replaceAll("@\\d+$", "")));
                }
            }
        }
        return entries.stream()
                .filter(e -> e.lineage() != null
                        && e.lineage().rowsIn() > 0
                        && !notMain.contains(e.table())
                        && !e.table().startsWith("rejected/")
                        && !"ingest".equals(e.lineage().stage()))
                .sorted(Comparator.comparing(
                        e -> e.lineage().startedAt() == null ? "" : e.lineage().startedAt()))
                .toList();
    }
}
