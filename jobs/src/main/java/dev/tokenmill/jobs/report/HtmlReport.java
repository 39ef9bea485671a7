package dev.tokenmill.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.dedup.ClusterTables;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.lake.TableSpec;
import dev.tokenmill.jobs.lake.read.KernelReader;
import dev.tokenmill.jobs.mixing.MixReport;
import dev.tokenmill.jobs.report.LakeTables.Entry;
import dev.tokenmill.jobs.train.LossCurve;
import dev.tokenmill.jobs.train.RunCheckpoints;
import dev.tokenmill.train.Metrics;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * {@code tokenmill report}: one static HTML page about a lake — its tables, the quality funnel (documents kept and
 * dropped per stage and rule), near-duplicate clusters, mixtures (target vs realised) and pretraining runs (loss
 * curves, checkpoints) — with every chart inline as a PNG data URI, so it opens anywhere with no network.
 */
public final class HtmlReport {
    /** What went into the page. */
    public record Summary(int tables, int stages, int charts, int runs) {}

    private final Lake lake;
    private final StringBuilder html = new StringBuilder();
    private int charts;

    private HtmlReport(Lake lake) {
        this.lake = lake;
    }

    /**
     * Writes the report: {@code output} a folder ({@code index.html} and {@code tables/NAME.html}), or a path ending
     * in {@code .html} (that page, and its table pages in a folder beside it named after it, {@code STEM_tables/}).
     */
    public static Summary write(Lake lake, Path output) throws IOException {
        Path index;
        Path pages;
        if (output.getFileName() != null && output.getFileName().toString().endsWith(".html")) {
            index = output.toAbsolutePath();
            String stem = output.getFileName().toString().replaceAll("\\.html$", "");
            pages = index.resolveSibling(stem + "_tables");
        } else {
            index = output.toAbsolutePath().resolve("index.html");
            pages = output.toAbsolutePath().resolve("tables");
        }
        HtmlReport r = new HtmlReport(lake);
        r.pagesLink = index.getParent().relativize(pages).toString().replace('\\', '/');
        Summary s = r.build();
        Files.createDirectories(pages);
        Files.writeString(index, r.html.toString(), StandardCharsets.UTF_8);
        KernelReader kernel = new KernelReader(lake.hadoopConf());
        TablePage page = new TablePage(lake, kernel, filterThresholds(r.entries));
        for (Entry e : r.entries) {
            Files.writeString(
                    pages.resolve(pageName(e.table())),
                    page.render(e, pages.relativize(index).toString().replace('\\', '/')),
                    StandardCharsets.UTF_8);
        }
        return new Summary(s.tables(), s.stages(), s.charts() + page.charts, s.runs());
    }

    /** The file of a table's page: its lake name with slashes as "__". */
    static String pageName(String table) {
        return table.replace("/", "__").replaceAll("[^A-Za-z0-9._-]", "_") + ".html";
    }

    /** The thresholds in force of every filter stage of the lake: filter → setting → value. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Double>> filterThresholds(List<Entry> entries) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.lineage() != null
                    && e.lineage().config() != null
                    && e.lineage().config().get("thresholds_in_force") instanceof Map<?, ?> m) {
                m.forEach((filter, settings) -> {
                    if (settings instanceof Map<?, ?> sm) {
                        sm.forEach((k, v) -> {
                            if (v instanceof Number n) {
                                out.computeIfAbsent(String.valueOf(filter), x -> new LinkedHashMap<>())
                                        .put(String.valueOf(k), n.doubleValue());
                            }
                        });
                    }
                });
            }
        }
        return out;
    }

    private String pagesLink = "tables";
    private List<Entry> entries = List.of();

    private Summary build() {
        entries = LakeTables.latest(lake);
        head(html, "tokenmill report");
        html.append("<h1>tokenmill report</h1><p class=\"muted\">lake ")
                .append(esc(lake.root()))
                .append(" · generated ")
                .append(esc(Instant.now().toString()))
                .append(" · a page per table: follow a table's name</p>\n");
        tables(entries);
        List<Entry> stages = LakeTables.stageOutputs(entries);
        funnel(stages);
        dedup(stages);
        mixtures(stages);
        experiments(stages);
        labels(stages);
        int runs = training();
        html.append("</main></body></html>\n");
        return new Summary(entries.size(), stages.size(), charts, runs);
    }

    /** The page's head and style, shared by the index and the table pages. */
    static void head(StringBuilder html, String title) {
        html.append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>""").append(esc(title)).append("""
            </title>
            <style>
            body{font-family:system-ui,sans-serif;margin:0;color:#222}
            main{max-width:1000px;margin:auto;padding:1em 2em}
            h1{margin-bottom:0}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
            table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
            th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}td.n{text-align:right}
            th{background:#f4f4f4}img{max-width:100%;border:1px solid #eee;margin:.5em 0}
            .muted{color:#777}p.sample{margin:.2em 0 .6em;font-size:.95em}
            del{background:#fdd;text-decoration:line-through}ins{background:#dfd;text-decoration:none}
            td.doc{width:50%;font-size:.9em}
            </style></head><body><main>
            """);
    }

    private void tables(List<Entry> entries) {
        html.append(
                "<h2 id=\"tables\">Tables</h2>\n<table><tr><th>table</th><th>version</th><th>stage</th><th>rows in</th>"
                        + "<th>rows out</th><th>rejected</th></tr>\n");
        for (Entry e : entries) {
            Lineage l = e.lineage();
            html.append("<tr><td><a href=\"")
                    .append(esc(pagesLink + "/" + pageName(e.table())))
                    .append("\">")
                    .append(esc(e.table()))
                    .append("</a></td><td class=n>")
                    .append(e.version())
                    .append("</td><td>")
                    .append(l == null ? "" : esc(l.stage()))
                    .append("</td>")
                    .append(num(l == null ? null : l.rowsIn()))
                    .append(num(l == null ? null : l.rowsOut()))
                    .append(num(l == null ? null : l.rowsRejected()))
                    .append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** What a reshaping stage's rows in and out count, instead of kept and dropped. */
    static String unitsNote(Lineage l) {
        return switch (l.stage()) {
            case "mix" ->
                "resamples its sources to target shares: documents in → documents drawn (repeats and "
                        + "leftovers by design)";
            case "tokenize" -> "packs documents into fixed-length samples: documents in → samples out";
            case "eval" -> "scores a model: rows read → evaluation rows";
            case "generate" -> "writes model generations: prompts → generations";
            default -> "trains proxy models: runs planned → runs written";
        };
    }

    private void funnel(List<Entry> stages) {
        html.append("<h2 id=\"funnel\">Quality funnel</h2>\n");
        if (stages.isEmpty()) {
            html.append("<p class=muted>No stage outputs yet.</p>\n");
            return;
        }
        List<String> labels = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        List<Long> dropped = new ArrayList<>();
        Map<String, Long> byRule = new TreeMap<>();
        html.append("<table><tr><th>stage</th><th>output</th><th>in</th><th>kept</th><th>dropped</th><th>kept %</th>"
                + "<th>rules (documents)</th></tr>\n");
        for (Entry e : stages) {
            Lineage l = e.lineage();
            boolean reshapes = e.changesUnits();
            if (!reshapes) { // mix and tokenize change what a row is: not a step of the funnel's chart
                labels.add(l.stage() + " → " + e.table());
                kept.add(l.rowsOut());
                dropped.add(l.rowsRejected());
            }
            if (l.rejectedByRule() != null) {
                l.rejectedByRule().forEach((rule, n) -> byRule.merge(l.stage() + ": " + rule, n, Long::sum));
            }
            html.append("<tr><td>")
                    .append(esc(l.stage()))
                    .append("</td><td>")
                    .append(esc(e.table() + "@" + e.version()))
                    .append("</td>")
                    .append(num(l.rowsIn()))
                    .append(num(l.rowsOut()))
                    .append(reshapes ? "<td class=n>–</td>" : num(l.rowsRejected()))
                    .append("<td class=n>")
                    .append(reshapes ? "–" : String.format("%.2f", 100.0 * l.rowsOut() / Math.max(1, l.rowsIn())))
                    .append("</td><td>")
                    .append(esc(
                            reshapes
                                    ? unitsNote(l)
                                    : l.rejectedByRule() == null
                                            ? ""
                                            : l.rejectedByRule().toString()))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
        image(
                Charts.bars(
                        "Documents kept and dropped per stage",
                        "stage",
                        "documents",
                        labels,
                        orderedSeries("kept", kept, "dropped", dropped),
                        true),
                "funnel chart");
        if (!byRule.isEmpty()) {
            List<Map.Entry<String, Long>> top = byRule.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(20)
                    .toList();
            image(
                    Charts.bars(
                            "Dropped documents per rule",
                            "stage: rule",
                            "documents",
                            top.stream().map(Map.Entry::getKey).toList(),
                            orderedSeries(
                                    "dropped",
                                    top.stream().map(Map.Entry::getValue).toList(),
                                    null,
                                    null),
                            false),
                    "rules chart");
        }
    }

    private void dedup(List<Entry> entries) {
        List<Entry> fuzzy = entries.stream()
                .filter(e ->
                        e.lineage() != null && "dedup-fuzzy".equals(e.lineage().stage()))
                .toList();
        if (fuzzy.isEmpty()) {
            return;
        }
        html.append("<h2 id=\"dedup\">Near-duplicate clusters</h2>\n");
        for (Entry e : fuzzy) {
            String spec = ClusterTables.written(e.lineage());
            if (spec == null) {
                continue;
            }
            TableSpec cs = TableSpec.parse(spec);
            TableLocation t = lake.locate(cs.name());
            if (!lake.exists(t)) {
                continue;
            }
            long v = cs.version() != null ? cs.version() : lake.latestVersion(t);
            List<Row> sizes = lake.read(t, v)
                    .groupBy(col("cluster_size"))
                    .agg(countDistinct(col("cluster_id")).as("clusters"))
                    .orderBy(col("cluster_size"))
                    .collectAsList();
            List<String> labels = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            for (Row r : sizes) {
                labels.add(String.valueOf(r.get(0)));
                counts.add(r.getLong(1));
            }
            html.append("<p>")
                    .append(esc(e.table() + "@" + e.version()))
                    .append(": ")
                    .append(String.format(
                            "%,d documents in, %,d removed as near-duplicates (%.2f %%); clusters in %s.",
                            e.lineage().rowsIn(),
                            e.lineage().rowsRejected(),
                            100.0
                                    * e.lineage().rowsRejected()
                                    / Math.max(1, e.lineage().rowsIn()),
                            cs.name() + "@" + v))
                    .append("</p>\n");
            if (!labels.isEmpty()) {
                image(
                        Charts.bars(
                                "Cluster sizes: " + e.table(),
                                "documents per cluster",
                                "clusters",
                                labels,
                                orderedSeries("clusters", counts, null, null),
                                false),
                        "cluster size histogram");
            }
            sideBySide(e, t, v);
        }
    }

    /** The three largest clusters: the kept document beside its most edited duplicate, the edits highlighted. */
    private void sideBySide(Entry e, TableLocation clusters, long version) {
        if (e.lineage().inputs() == null || e.lineage().inputs().isEmpty()) {
            return;
        }
        Lineage.Input in = e.lineage().inputs().get(0);
        TableLocation input = lake.locate(Lineage.inputTable(in));
        if (in.version() == null || !lake.exists(input)) {
            return;
        }
        List<Row> pairs = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Row r : lake.read(clusters, version)
                .where(col("is_duplicate"))
                .orderBy(col("cluster_size").desc(), col("cluster_id"), col("jaccard_to_kept"), col("id"))
                .select("cluster_id", "kept_id", "id", "jaccard_to_kept", "cluster_size")
                .limit(200)
                .collectAsList()) {
            if (pairs.size() < 3 && seen.add(r.getLong(0))) {
                pairs.add(r);
            }
        }
        if (pairs.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>();
        pairs.forEach(p -> {
            ids.add(p.getString(1));
            ids.add(p.getString(2));
        });
        Map<String, String> texts = new java.util.HashMap<>();
        for (Row r : lake.read(input, in.version())
                .where(col("id").isin(ids.toArray()))
                .select("id", "text")
                .collectAsList()) {
            texts.put(r.getString(0), r.getString(1));
        }
        html.append("<h3>The largest clusters: the kept document beside its most edited duplicate</h3>\n");
        for (Row p : pairs) {
            String kept = texts.get(p.getString(1));
            String dup = texts.get(p.getString(2));
            if (kept == null || dup == null) {
                continue;
            }
            String[] sides = dev.tokenmill.jobs.util.WordDiff.sides(kept, dup, 12);
            html.append(String.format(
                    "<table><tr><th>kept <code>%s</code> (cluster of %d)</th><th>duplicate <code>%s</code>, Jaccard %.3f</th></tr>%n",
                    esc(p.getString(1)),
                    p.getInt(4),
                    esc(p.getString(2)),
                    p.isNullAt(3) ? Double.NaN : p.getDouble(3)));
            html.append("<tr><td class=doc>")
                    .append(sides[0])
                    .append("</td><td class=doc>")
                    .append(sides[1]);
            html.append("</td></tr></table>\n");
        }
    }

    private void mixtures(List<Entry> entries) {
        List<Entry> mixes = entries.stream()
                .filter(e -> e.lineage() != null && "mix".equals(e.lineage().stage()))
                .toList();
        if (mixes.isEmpty()) {
            return;
        }
        html.append("<h2 id=\"mixtures\">Mixtures</h2>\n");
        for (Entry e : mixes) {
            List<MixReport.Share> shares = MixReport.shares(e.lineage());
            if (shares.isEmpty()) {
                continue;
            }
            List<String> labels = new ArrayList<>();
            List<Double> target = new ArrayList<>();
            List<Double> realised = new ArrayList<>();
            html.append("<p>")
                    .append(esc(e.table() + "@" + e.version()))
                    .append(
                            "</p>\n<table><tr><th>phase</th><th>source</th>"
                                    + "<th>stratum</th><th>target %</th><th>realised %</th><th>realised units</th><th>epochs</th><th>documents</th></tr>\n");
            for (MixReport.Share r : shares) {
                labels.add(r.label());
                target.add(100 * r.targetShare());
                realised.add(100 * r.realisedShare());
                html.append("<tr><td>")
                        .append(esc(r.phase()))
                        .append("</td><td>")
                        .append(esc(r.source()))
                        .append("</td><td>")
                        .append(esc(r.stratum()))
                        .append("</td>")
                        .append(dec(100 * r.targetShare()))
                        .append(dec(100 * r.realisedShare()))
                        .append(num(Math.round(r.realised())))
                        .append(dec(r.epochs()))
                        .append(num(r.documents()))
                        .append("</tr>\n");
            }
            html.append("</table>\n");
            image(
                    Charts.bars(
                            "Target vs realised share: " + e.table(),
                            "source / stratum",
                            "% of units",
                            labels,
                            orderedSeries("target", target, "realised", realised),
                            false),
                    "mixture chart");
        }
    }

    /** Sweeps and mixture searches: per configuration the mean and spread of the loss, and the mean per run. */
    private void experiments(List<Entry> entries) {
        List<Entry> sweeps = entries.stream()
                .filter(e -> e.lineage() != null
                        && List.of("sweep", "mix-search").contains(e.lineage().stage()))
                .toList();
        if (sweeps.isEmpty()) {
            return;
        }
        html.append("<h2 id=\"experiments\">Experiments with proxy models</h2>\n");
        for (Entry e : sweeps) {
            var table = lake.locate(e.table());
            // the loss each run is compared on: the first eval table by name, else the run's own held-out loss
            List<org.apache.spark.sql.Row> rows = lake.read(table, e.version())
                    .selectExpr("name", "coalesce(try_element_at(map_values(eval), 1), held_out_loss) as loss")
                    .groupBy("name")
                    .agg(
                            org.apache.spark.sql.functions.count("loss"),
                            org.apache.spark.sql.functions.avg("loss"),
                            org.apache.spark.sql.functions.stddev_samp("loss"))
                    .orderBy("avg(loss)")
                    .collectAsList();
            html.append("<p>")
                    .append(esc(e.table() + "@" + e.version()))
                    .append(" (")
                    .append(esc(e.lineage().stage()))
                    .append(
                            ")</p>\n<table><tr><th>configuration</th><th>runs</th><th>mean loss</th><th>std</th></tr>\n");
            List<String> labels = new ArrayList<>();
            List<Double> means = new ArrayList<>();
            for (org.apache.spark.sql.Row r : rows.subList(0, Math.min(rows.size(), 40))) {
                labels.add(r.getString(0));
                means.add(r.isNullAt(2) ? 0.0 : r.getDouble(2));
                html.append("<tr><td>")
                        .append(esc(r.getString(0)))
                        .append("</td>")
                        .append(num(r.getLong(1)))
                        .append(r.isNullAt(2) ? "<td></td>" : String.format("<td class=n>%.4f</td>", r.getDouble(2)))
                        .append(r.isNullAt(3) ? "<td></td>" : String.format("<td class=n>%.4f</td>", r.getDouble(3)))
                        .append("</tr>\n");
            }
            html.append("</table>\n");
            if (!labels.isEmpty()) {
                image(
                        Charts.bars(
                                "Mean loss per configuration: " + e.table(),
                                "configuration",
                                "loss",
                                labels,
                                orderedSeries("mean loss", means, null, null),
                                false),
                        "experiment chart");
            }
        }
    }

    /** Labels tables (label-queue / import-labels): per round what was queued, and how much of it is labelled. */
    private void labels(List<Entry> entries) {
        List<Entry> tables = entries.stream()
                .filter(e -> e.lineage() != null
                        && List.of("label-queue", "import-labels")
                                .contains(e.lineage().stage()))
                .toList();
        if (tables.isEmpty()) {
            return;
        }
        html.append("<h2 id=\"labels\">Labels for the quality classifier</h2>\n");
        for (Entry e : tables) {
            List<org.apache.spark.sql.Row> rows = lake.read(lake.locate(e.table()), e.version())
                    .groupBy("round", "strategy")
                    .agg(
                            org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
                            org.apache.spark.sql.functions.count("label"),
                            org.apache.spark.sql.functions.sum(
                                    org.apache.spark.sql.functions.expr("case when label = 1 then 1 else 0 end")),
                            org.apache.spark.sql.functions.avg("score"))
                    .orderBy("round")
                    .collectAsList();
            html.append("<p>")
                    .append(esc(e.table() + "@" + e.version()))
                    .append(" (last written by ")
                    .append(esc(e.lineage().stage()))
                    .append(")</p>\n<table><tr><th>round</th><th>strategy</th><th>queued</th><th>labelled</th>"
                            + "<th>good</th><th>bad</th><th>mean P(good) when queued</th></tr>\n");
            List<String> rounds = new ArrayList<>();
            List<Long> good = new ArrayList<>();
            List<Long> bad = new ArrayList<>();
            for (org.apache.spark.sql.Row r : rows) {
                long labelled = r.getLong(3);
                long positive = r.isNullAt(4) ? 0 : r.getLong(4);
                rounds.add("round " + r.get(0));
                good.add(positive);
                bad.add(labelled - positive);
                html.append("<tr><td>")
                        .append(esc(String.valueOf(r.get(0))))
                        .append("</td><td>")
                        .append(esc(String.valueOf(r.get(1))))
                        .append("</td>")
                        .append(num(r.getLong(2)))
                        .append(num(labelled))
                        .append(num(positive))
                        .append(num(labelled - positive))
                        .append(r.isNullAt(5) ? "<td></td>" : String.format("<td class=n>%.3f</td>", r.getDouble(5)))
                        .append("</tr>\n");
            }
            html.append("</table>\n");
            image(
                    Charts.bars(
                            "Labels per round: " + e.table(),
                            "round",
                            "labelled documents",
                            rounds,
                            orderedSeries("good", good, "bad", bad),
                            true),
                    "labels chart");
        }
    }

    private int training() {
        Path runs;
        try {
            String loc = lake.locate("runs").path();
            runs = loc.startsWith("file:") ? Path.of(URI.create(loc)) : Path.of(loc);
        } catch (RuntimeException e) {
            return 0; // a lake on S3: runs live on a shared file system elsewhere
        }
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        List<Path> found = new ArrayList<>();
        try (var walk = Files.walk(runs, 3)) {
            walk.filter(p -> p.getFileName().toString().equals(Metrics.FILE))
                    .map(Path::getParent)
                    .sorted()
                    .forEach(found::add);
        } catch (IOException e) {
            return 0;
        }
        if (found.isEmpty()) {
            return 0;
        }
        html.append("<h2 id=\"training\">Pretraining runs</h2>\n");
        for (Path run : found) {
            String name = runs.relativize(run).toString();
            List<JsonNode> metrics = Metrics.read(run);
            JsonNode lastTrain = null;
            JsonNode lastEval = null;
            for (JsonNode n : metrics) {
                if (n.has("loss")) {
                    lastTrain = n;
                } else if (n.has("eval_loss")) {
                    lastEval = n;
                }
            }
            html.append("<h3>runs/").append(esc(name)).append("</h3>\n<p>");
            if (lastTrain != null) {
                html.append(String.format(
                        "step %d, training loss %.4f",
                        lastTrain.get("step").asLong(), lastTrain.get("loss").asDouble()));
            }
            if (lastEval != null) {
                html.append(String.format(
                        ", held-out loss %.4f (perplexity %.1f)",
                        lastEval.get("eval_loss").asDouble(),
                        lastEval.get("eval_perplexity").asDouble()));
            }
            html.append("</p>\n");
            image(Charts.png(LossCurve.chart(run, "loss: runs/" + name), 900, 450), "loss curve");
            checkpoints(run);
            evals(name);
        }
        return found.size();
    }

    /** The run's {@code eval} results ({@code evals/RUN}, latest version): loss, perplexity, bits per byte per group. */
    private void evals(String run) {
        TableLocation t = lake.locate("evals/" + run);
        if (!lake.exists(t)) {
            return;
        }
        long version = lake.latestVersion(t);
        KernelReader.Version v = new KernelReader(lake.hadoopConf()).open(t.path(), version, t.name());
        List<String> columns =
                v.columns().stream().filter(c -> !c.equals("checkpoint")).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        v.rows(columns, row -> {
            rows.add(row);
            return rows.size() < 200;
        });
        // columns no row has a value in (multiple-choice ones for text evals, and the reverse) are left out
        List<String> shown = columns.stream()
                .filter(c -> rows.stream().anyMatch(r -> r.get(c) != null))
                .toList();
        html.append("<p>Evaluation, ").append(esc(t.name() + "@" + version)).append(" (per group of documents; ");
        html.append("<code>tokenmill eval</code>):</p>\n<table><tr>");
        shown.forEach(c -> html.append("<th>").append(esc(c.replace('_', ' '))).append("</th>"));
        html.append("</tr>\n");
        for (Map<String, Object> r : rows) {
            html.append("<tr>");
            for (String c : shown) {
                Object x = r.get(c);
                if (x instanceof Double d) {
                    html.append("<td class=n>").append(String.format("%.4f", d)).append("</td>");
                } else if (x instanceof Long || x instanceof Integer) {
                    html.append(num(((Number) x).longValue()));
                } else {
                    html.append("<td>")
                            .append(esc(dev.tokenmill.jobs.lake.read.Values.cell(x)))
                            .append("</td>");
                }
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private void checkpoints(Path run) {
        List<RunCheckpoints.Entry> list;
        try {
            list = RunCheckpoints.list(run);
        } catch (java.io.UncheckedIOException e) {
            html.append("<p class=muted>").append(esc(e.getMessage())).append("</p>\n");
            return;
        }
        if (list.isEmpty()) {
            return;
        }
        html.append(
                "<table><tr><th>checkpoint</th><th>step</th><th>consumed samples</th><th>layout</th><th>files</th><th>MB</th></tr>\n");
        for (RunCheckpoints.Entry c : list) {
            html.append("<tr><td>")
                    .append(esc(c.name()))
                    .append("</td>")
                    .append(num(c.step()))
                    .append(num(c.consumedSamples()))
                    .append("<td>")
                    .append(esc(c.world()))
                    .append("</td>")
                    .append(num((long) c.files()))
                    .append(dec(c.bytes() / 1e6))
                    .append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static Map<String, List<? extends Number>> orderedSeries(
            String a, List<? extends Number> av, String b, List<? extends Number> bv) {
        Map<String, List<? extends Number>> m = new LinkedHashMap<>();
        m.put(a, av);
        if (b != null) {
            m.put(b, bv);
        }
        return m;
    }

    private void image(String dataUri, String alt) {
        img(html, dataUri, alt);
        charts++;
    }

    /** An inline chart: a PNG data URI, so the page needs nothing beside it. */
    static void img(StringBuilder html, String dataUri, String alt) {
        html.append("<img alt=\"")
                .append(esc(alt))
                .append("\" src=\"")
                .append(dataUri)
                .append("\">\n");
    }

    static String num(Long n) {
        return "<td class=n>" + (n == null ? "" : String.format("%,d", n)) + "</td>";
    }

    private static String dec(double d) {
        return "<td class=n>" + String.format("%.2f", d) + "</td>";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
