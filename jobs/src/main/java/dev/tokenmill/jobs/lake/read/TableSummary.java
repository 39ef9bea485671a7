package dev.tokenmill.jobs.lake.read;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The numbers {@code stats} prints for a table version, accumulated row by row without Spark: rows, text length
 * (characters as Spark's {@code length} counts them: code points) sum, mean, min, exact p50/p90 and max, exact distinct
 * ids, and the 50 largest groups of each of {@link #GROUPS}. The Spark reader computes the same keys exactly
 * ({@code TableStats}); both define a percentile as the smallest length with at least that share of rows at or below
 * it (SQL's {@code percentile_disc}).
 */
public final class TableSummary {
    public static final List<String> GROUPS = List.of("source", "lang", "stage", "rule");
    public static final int TOP_GROUPS = 50;

    private final List<String> columns;
    private final boolean hasText;
    private final boolean hasId;
    private final List<String> groups = new ArrayList<>();
    private final Map<String, Map<Object, Long>> groupCounts = new LinkedHashMap<>();
    private final Set<String> ids = new HashSet<>();
    private int[] lengths = new int[1024];
    private long rows;
    private long textRows;

    public TableSummary(List<String> columns) {
        this.columns = List.copyOf(columns);
        this.hasText = columns.contains("text");
        this.hasId = columns.contains("id");
        for (String g : GROUPS) {
            if (columns.contains(g)) {
                groups.add(g);
                groupCounts.put(g, new HashMap<>());
            }
        }
    }

    /** The columns a reader has to read for this summary (in table order). */
    public List<String> readColumns() {
        List<String> out = new ArrayList<>();
        for (String c : columns) {
            if (c.equals("text") || c.equals("id") || groups.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    public void add(Map<String, Object> row) {
        rows++;
        if (hasText && row.get("text") instanceof String text) {
            if (textRows == lengths.length) {
                lengths = Arrays.copyOf(lengths, lengths.length * 2);
            }
            lengths[(int) textRows++] = text.codePointCount(0, text.length());
        }
        if (hasId && row.get("id") != null) {
            ids.add(row.get("id").toString());
        }
        for (String g : groups) {
            groupCounts.get(g).merge(String.valueOf(row.get(g)), 1L, Long::sum);
        }
    }

    public Map<String, Object> result() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("rows", rows);
        if (hasText) {
            int[] sorted = Arrays.copyOf(lengths, (int) textRows);
            Arrays.sort(sorted);
            long sum = 0;
            for (int l : sorted) {
                sum += l;
            }
            boolean none = sorted.length == 0;
            stats.put("text_chars", none ? null : sum);
            stats.put("text_chars_mean", none ? null : mean(sum, sorted.length));
            stats.put("text_chars_min", none ? null : sorted[0]);
            stats.put("text_chars_p50", none ? null : (long) percentile(sorted, 0.5));
            stats.put("text_chars_p90", none ? null : (long) percentile(sorted, 0.9));
            stats.put("text_chars_max", none ? null : sorted[sorted.length - 1]);
        }
        if (hasId) {
            stats.put("distinct_ids", (long) ids.size());
        }
        stats.put("columns", columns);
        for (String g : groups) {
            List<Map.Entry<Object, Long>> entries =
                    new ArrayList<>(groupCounts.get(g).entrySet());
            entries.sort((a, b) -> a.getValue().equals(b.getValue())
                    ? RowFilter.compareUtf8(a.getKey().toString(), b.getKey().toString())
                    : Long.compare(b.getValue(), a.getValue()));
            Map<String, Long> top = new LinkedHashMap<>();
            for (Map.Entry<Object, Long> e : entries.subList(0, Math.min(TOP_GROUPS, entries.size()))) {
                top.put(e.getKey().toString(), e.getValue());
            }
            stats.put("rows_by_" + g, top);
        }
        return stats;
    }

    /** The mean to two decimals, as stats prints it. */
    public static double mean(long sum, long count) {
        return Math.round(sum * 100.0 / count) / 100.0;
    }

    /** The smallest value with at least {@code p} of the (sorted) values at or below it. */
    static int percentile(int[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
