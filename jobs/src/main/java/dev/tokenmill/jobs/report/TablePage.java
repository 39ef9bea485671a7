package dev.tokenmill.jobs.report;

import static dev.tokenmill.jobs.report.HtmlReport.esc;

import dev.tokenmill.jobs.lake.Commit;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.lake.read.KernelReader;
import dev.tokenmill.jobs.lake.read.KernelValues;
import dev.tokenmill.jobs.lake.read.RowFilter;
import dev.tokenmill.jobs.lake.read.TableSummary;
import dev.tokenmill.jobs.report.LakeTables.Entry;
import io.delta.kernel.types.StructField;
import io.delta.kernel.utils.FileStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's page about one table: its versions with what each commit recorded, its schema, its rows (counts, text
 * lengths, top sources and languages), a histogram of every numeric signal column with the filter thresholds that
 * apply to it drawn in, and, for a stage that dropped rows, the rows it kept and rejected per rule with two rejected
 * documents each. Read with Delta Kernel in the report's JVM (tables up to 1 GiB; larger ones get versions and schema).
 */
final class TablePage {
    static final long SCAN_BYTES = 1L << 30;
    static final int MAX_SIGNALS = 16;
    static final int MAX_VALUES = 200_000;

    private final Lake lake;
    private final KernelReader kernel;
    private final Map<String, Map<String, Double>> thresholds;
    private final StringBuilder html = new StringBuilder();
    int charts;

    /** {@code thresholds}: the filters' thresholds in force, filter → setting → value (from the filter lineages). */
    TablePage(Lake lake, KernelReader kernel, Map<String, Map<String, Double>> thresholds) {
        this.lake = lake;
        this.kernel = kernel;
        this.thresholds = thresholds;
    }

    String render(Entry e, String indexLink) {
        html.setLength(0);
        HtmlReport.head(html, e.table() + "@" + e.version());
        html.append("<p><a href=\"").append(esc(indexLink)).append("\">← report</a></p>\n");
        html.append("<h1>")
                .append(esc(e.table()))
                .append(" <span class=muted>@")
                .append(e.version());
        html.append("</span></h1>\n");
        TableLocation t = lake.locate(e.table());
        versions(lake.history(t));
        KernelReader.Version v = kernel.open(t.path(), e.version(), e.table());
        schema(v);
        List<FileStatus> files = v.files(); // each call scans the log again
        long bytes = files.stream().mapToLong(FileStatus::getSize).sum();
        html.append(String.format("<p>%,d data files, %,.1f MB.</p>%n", files.size(), bytes / 1e6));
        if (bytes <= SCAN_BYTES) {
            rows(v);
        } else {
            html.append("<p class=muted>Larger than 1 GiB: rows, signals and samples are left to "
                    + "<code>tokenmill stats</code> and the notebooks.</p>\n");
        }
        if (e.lineage() != null
                && e.lineage().rejectedTable() != null
                && e.lineage().rowsRejected() > 0) {
            rejections(e.lineage());
        }
        html.append("</main></body></html>\n");
        return html.toString();
    }

    private void versions(List<Commit> history) {
        html.append("<h2>Versions</h2>\n<table><tr><th>version</th><th>time</th><th>operation</th><th>stage</th>"
                + "<th>inputs</th><th>rows in</th><th>rows out</th><th>rejected</th><th>fingerprint</th>"
                + "<th>code</th></tr>\n");
        for (Commit c : history) {
            Lineage l = c.lineage();
            StringBuilder inputs = new StringBuilder();
            if (l != null && l.inputs() != null) {
                for (Lineage.Input in : l.inputs()) {
                    inputs.append(inputs.length() == 0 ? "" : ", ")
                            .append(
                                    in.version() == null
                                            ? in.files() + " file(s) " + in.path()
                                            : Lineage.inputTable(in) + "@" + in.version());
                }
            }
            html.append("<tr><td class=n>")
                    .append(c.version())
                    .append("</td><td>")
                    .append(esc(c.timestamp()));
            html.append("</td><td>").append(esc(c.operation())).append("</td><td>");
            html.append(l == null ? "" : esc(l.stage())).append("</td><td>").append(esc(inputs.toString()));
            html.append("</td>").append(HtmlReport.num(l == null ? null : l.rowsIn()));
            html.append(HtmlReport.num(l == null ? null : l.rowsOut()));
            html.append(HtmlReport.num(l == null ? null : l.rowsRejected()));
            html.append("<td><code>")
                    .append(
                            l == null || l.fingerprint() == null
                                    ? ""
                                    : esc(l.fingerprint().substring(0, 12)));
            html.append("</code></td><td>")
                    .append(l == null ? "" : esc(l.codeVersion()))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private void schema(KernelReader.Version v) {
        html.append("<h2>Schema</h2>\n<table><tr><th>column</th><th>type</th><th>nullable</th></tr>\n");
        for (StructField f : v.schema().fields()) {
            html.append("<tr><td>").append(esc(f.getName())).append("</td><td><code>");
            html.append(esc(f.getDataType().toString())).append("</code></td><td>");
            html.append(f.isNullable() ? "yes" : "no").append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /**
     * Numeric columns that are signals, not positions or ids: those a filter threshold applies to first, then
     * fractional ones, then counts; at most {@link #MAX_SIGNALS}.
     */
    private List<String> signals(KernelReader.Version v) {
        List<String> thresholded = new ArrayList<>();
        List<String> fractional = new ArrayList<>();
        List<String> integral = new ArrayList<>();
        KernelValues.kinds(v.schema()).forEach((name, kind) -> {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            if (n.equals("line") || n.equals("batch") || n.endsWith("id")) {
                return;
            }
            if ((kind == RowFilter.Kind.FRACTIONAL || kind == RowFilter.Kind.INTEGRAL)
                    && !thresholdsFor(name).isEmpty()) {
                thresholded.add(name);
            } else if (kind == RowFilter.Kind.FRACTIONAL) {
                fractional.add(name);
            } else if (kind == RowFilter.Kind.INTEGRAL) {
                integral.add(name);
            }
        });
        List<String> out = new ArrayList<>(thresholded);
        out.addAll(fractional);
        out.addAll(integral);
        return out.subList(0, Math.min(MAX_SIGNALS, out.size()));
    }

    @SuppressWarnings("unchecked")
    private void rows(KernelReader.Version v) {
        TableSummary summary = new TableSummary(v.columns());
        List<String> signals = signals(v);
        Map<String, double[]> values = new LinkedHashMap<>();
        int[] counts = new int[signals.size()];
        signals.forEach(s -> values.put(s, new double[1024]));
        List<String> read = new ArrayList<>(summary.readColumns());
        signals.stream().filter(s -> !read.contains(s)).forEach(read::add);
        v.rows(read, row -> {
            summary.add(row);
            for (int i = 0; i < signals.size(); i++) {
                Object x = row.get(signals.get(i));
                if (x instanceof Number n && counts[i] < MAX_VALUES && Double.isFinite(n.doubleValue())) {
                    double[] a = values.get(signals.get(i));
                    if (counts[i] == a.length) {
                        a = java.util.Arrays.copyOf(a, a.length * 2);
                        values.put(signals.get(i), a);
                    }
                    a[counts[i]++] = n.doubleValue();
                }
            }
            return true;
        });
        Map<String, Object> stats = summary.result();
        html.append("<h2>Rows</h2>\n<table>");
        for (String k : List.of(
                "rows",
                "distinct_ids",
                "text_chars",
                "text_chars_mean",
                "text_chars_min",
                "text_chars_p50",
                "text_chars_p90",
                "text_chars_max")) {
            if (stats.containsKey(k)) {
                html.append("<tr><th>").append(k.replace('_', ' ')).append("</th><td class=n>");
                Object x = stats.get(k);
                html.append(
                        x instanceof Long || x instanceof Integer
                                ? String.format("%,d", ((Number) x).longValue())
                                : x == null ? "" : esc(x.toString()));
                html.append("</td></tr>\n");
            }
        }
        html.append("</table>\n");
        for (String g : List.of("source", "lang")) {
            Map<String, Long> top = (Map<String, Long>) stats.get("rows_by_" + g);
            if (top != null && !top.isEmpty()) {
                html.append("<h3>Top ")
                        .append(g.equals("lang") ? "languages" : "sources")
                        .append("</h3>\n<table>");
                top.entrySet().stream()
                        .limit(15)
                        .forEach(en -> html.append("<tr><td>")
                                .append(esc(en.getKey()))
                                .append("</td>")
                                .append(HtmlReport.num(en.getValue()))
                                .append("</tr>\n"));
                html.append("</table>\n");
            }
        }
        if (!signals.isEmpty()) {
            html.append(
                    "<h2 id=\"signals\">Signals</h2>\n<p class=muted>Each numeric column's distribution; dashed lines: the "
                            + "thresholds of this lake's filter stages that apply to it.</p>\n");
            for (int i = 0; i < signals.size(); i++) {
                String s = signals.get(i);
                double[] a = java.util.Arrays.copyOf(values.get(s), counts[i]);
                Map<String, Double> lines = thresholdsFor(s);
                image(Charts.png(Charts.histogram(s, s, a, 40, lines), 900, 320), "histogram of " + s);
            }
        }
    }

    /**
     * The thresholds that apply to a signal column: a filter setting {@code min_X}, {@code max_X} or {@code X} whose
     * X (at least five characters) ends the column's name ({@code min_words} → {@code gopher_words},
     * {@code top_2_gram_frac} → {@code rep_top_2_gram_frac}).
     */
    Map<String, Double> thresholdsFor(String column) {
        Map<String, Double> out = new LinkedHashMap<>();
        thresholds.forEach((filter, settings) -> settings.forEach((key, value) -> {
            String x = key.replaceFirst("^(min|max)_", "");
            if (x.length() >= 5 && column.endsWith(x)) {
                out.put(key, value);
            }
        }));
        return out;
    }

    private void rejections(Lineage l) {
        TableLocation rt = lake.locate(l.rejectedTable());
        if (!lake.exists(rt)) {
            return;
        }
        long version = lake.latestVersion(rt);
        KernelReader.Version v = kernel.open(rt.path(), version, rt.name());
        List<String> columns = v.columns();
        if (!columns.containsAll(List.of("stage", "rule", "text"))) {
            return;
        }
        Map<String, List<Map<String, Object>>> samples = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String> read = new ArrayList<>(List.of("id", "stage", "rule", "text"));
        for (String c : List.of("value", "threshold")) {
            if (columns.contains(c)) {
                read.add(c);
            }
        }
        v.rows(read, row -> {
            if (l.stage().equals(row.get("stage"))) {
                String rule = String.valueOf(row.get("rule"));
                counts.merge(rule, 1L, Long::sum);
                List<Map<String, Object>> s = samples.computeIfAbsent(rule, k -> new ArrayList<>());
                if (s.size() < 2) {
                    s.add(row);
                }
            }
            return true;
        });
        html.append("<h2>Kept and rejected</h2>\n<p>")
                .append(esc(l.stage()))
                .append(String.format(
                        " read %,d rows, kept %,d and rejected %,d into ", l.rowsIn(), l.rowsOut(), l.rowsRejected()))
                .append(esc(rt.name()))
                .append("@")
                .append(version)
                .append(".</p>\n");
        html.append(
                "<table><tr><th>rule</th><th>rejected</th><th>two of them: id, value / threshold, text</th></tr>\n");
        counts.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(en -> {
                    html.append("<tr><td>").append(esc(en.getKey())).append("</td>");
                    html.append(HtmlReport.num(en.getValue())).append("<td>");
                    for (Map<String, Object> s : samples.get(en.getKey())) {
                        String text = String.valueOf(s.get("text"))
                                .replaceAll("\\s+", " ")
                                .strip();
                        html.append("<p class=sample><code>")
                                .append(esc(String.valueOf(s.get("id"))))
                                .append("</code>");
                        if (s.get("value") != null) {
                            html.append(" · ")
                                    .append(esc(String.valueOf(s.get("value"))))
                                    .append(" / ")
                                    .append(esc(String.valueOf(s.get("threshold"))));
                        }
                        html.append("<br>")
                                .append(esc(text.length() > 300 ? text.substring(0, 299) + "…" : text))
                                .append("</p>");
                    }
                    html.append("</td></tr>\n");
                });
        html.append("</table>\n");
    }

    private void image(String dataUri, String alt) {
        HtmlReport.img(html, dataUri, alt);
        charts++;
    }
}
