package dev.tokenmill.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.lake.TableSpec;
import dev.tokenmill.jobs.lake.read.KernelReader;
import dev.tokenmill.jobs.util.TextTable;
import dev.tokenmill.jobs.util.WordDiff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What a {@code dedup-fuzzy} run found, from its lineage: the cluster table version it wrote and the input version it
 * read. Cluster size histogram, duplicate rate per source (the input's {@code source} column when it has one), and
 * the largest clusters with the kept document and sample duplicates side by side.
 */
@Command(
        name = "dedup-report",
        mixinStandardHelpOptions = true,
        description =
                "Cluster sizes, duplicate rate per source and the largest clusters (with samples) of a dedup-fuzzy output table.")
public final class DedupReportCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "TABLE[@VERSION]", description = "A dedup-fuzzy output table.")
    String table;

    @Option(names = "--top", defaultValue = "5", description = "Largest clusters to show (default ${DEFAULT-VALUE}).")
    int top;

    @Option(
            names = "--samples",
            defaultValue = "2",
            description = "Duplicates shown per cluster (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    protected boolean readsWithKernel() {
        return true;
    }

    static final int[][] SIZE_BUCKETS = {{2, 2}, {3, 3}, {4, 5}, {6, 10}, {11, 100}, {101, Integer.MAX_VALUE}};

    @Override
    public void run() {
        Resolved r = resolve(table);
        Lineage lineage = lake().lineageAt(r.table(), r.version());
        if (lineage == null || !"dedup-fuzzy".equals(lineage.stage())) {
            throw new UserError(r.label() + " was not written by dedup-fuzzy (stage: "
                    + (lineage == null ? "none recorded" : lineage.stage()) + ")");
        }
        String clustersSpec = dev.tokenmill.jobs.dedup.ClusterTables.written(lineage);
        if (clustersSpec == null) {
            throw new UserError(
                    r.label() + ": its dedup-fuzzy run wrote no cluster table (set params.clusters in the recipe)");
        }
        TableSpec cs = TableSpec.parse(clustersSpec);
        TableLocation clustersTable = lake().locate(cs.name());
        long clustersVersion = lake().resolveVersion(clustersTable, cs.version());
        Lineage.Input in = lineage.inputs().get(0);
        TableLocation inputTable = lake().locate(Lineage.inputTable(in));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("table", r.label());
        report.put("input", inputTable.name() + "@" + in.version());
        report.put("clusters_table", clustersSpec);
        KernelReader kernel = lake().kernel();
        boolean done = false;
        if (kernel != null) {
            KernelReader.Version clusters = kernel.open(clustersTable.path(), clustersVersion, clustersSpec);
            KernelReader.Version input = kernel.open(inputTable.path(), in.version(), inputTable.name());
            long bytes = 0;
            for (var f : clusters.files()) {
                bytes += f.getSize();
            }
            for (var f : input.files()) {
                bytes += f.getSize();
            }
            if (bytes <= StatsCommand.KERNEL_SCAN_BYTES) {
                new DedupReportKernel(clusters, input, top, samples, this).fill(report);
                done = true;
            }
        }
        if (!done) {
            withSpark(report, clustersTable, clustersVersion, inputTable, in.version());
        }
        if (json) {
            printJson(report);
            return;
        }
        print(report);
    }

    @SuppressWarnings("unchecked")
    private void withSpark(
            Map<String, Object> report,
            TableLocation clustersTable,
            long clustersVersion,
            TableLocation inputTable,
            long inputVersion) {
        Dataset<Row> clusters = lake().read(clustersTable, clustersVersion).cache();
        Dataset<Row> input = lake().read(inputTable, inputVersion);
        String idCol = "id";
        String textCol = "text";
        Row totals = clusters.agg(
                        count(lit(1)),
                        sum(when(col("is_duplicate"), 1).otherwise(0)),
                        org.apache.spark.sql.functions.countDistinct(col("cluster_id")))
                .first();
        long inputRows = input.count();
        report.put("input_documents", inputRows);
        report.put("documents_in_clusters", totals.getLong(0));
        report.put("clusters", totals.getLong(2));
        report.put("duplicates_removed", totals.isNullAt(1) ? 0 : totals.getLong(1));
        report.put(
                "duplicate_rate",
                inputRows == 0 ? 0 : (totals.isNullAt(1) ? 0 : totals.getLong(1)) / (double) inputRows);

        List<Map<String, Object>> histogram = new ArrayList<>();
        Dataset<Row> sizes =
                clusters.groupBy("cluster_id").agg(count(lit(1)).as("size")).cache();
        for (int[] b : SIZE_BUCKETS) {
            Row h = sizes.where(col("size").between(b[0], b[1]))
                    .agg(count(lit(1)), sum("size"))
                    .first();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("size", bucketLabel(b));
            row.put("clusters", h.getLong(0));
            row.put("documents", h.isNullAt(1) ? 0 : h.getLong(1));
            histogram.add(row);
        }
        report.put("cluster_size_histogram", histogram);

        boolean hasSource = List.of(input.columns()).contains("source");
        Dataset<Row> dupIds =
                clusters.where(col("is_duplicate")).select(col("id").as("_dup_id"));
        Dataset<Row> bySource = input.select(
                        col(idCol), hasSource ? col("source") : lit("(all)").as("source"))
                .join(dupIds, col(idCol).equalTo(col("_dup_id")), "left")
                .groupBy("source")
                .agg(count(lit(1)).as("documents"), count(col("_dup_id")).as("duplicates"))
                .orderBy("source");
        List<Map<String, Object>> perSource = new ArrayList<>();
        for (Row s : bySource.collectAsList()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source", s.getString(0));
            row.put("documents", s.getLong(1));
            row.put("duplicates", s.getLong(2));
            row.put("rate", s.getLong(1) == 0 ? 0 : s.getLong(2) / (double) s.getLong(1));
            perSource.add(row);
        }
        report.put("by_source", perSource);

        List<Row> largest =
                sizes.orderBy(col("size").desc(), col("cluster_id")).limit(top).collectAsList();
        List<Map<String, Object>> topClusters = new ArrayList<>();
        Dataset<Row> texts = input.select(col(idCol).as("t_id"), col(textCol).as("t_text"));
        for (Row c : largest) {
            long clusterId = c.getLong(0);
            List<Row> members = clusters.where(col("cluster_id").equalTo(clusterId))
                    .join(texts, col("id").equalTo(col("t_id")), "left")
                    .orderBy(col("is_duplicate"), col("jaccard_to_kept").desc(), col("id"))
                    .limit(samples + 1)
                    .select("id", "is_duplicate", "jaccard_to_kept", "t_text")
                    .collectAsList();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cluster_id", clusterId);
            row.put("size", c.getLong(1));
            List<Map<String, Object>> docs = new ArrayList<>();
            String keptText = null;
            for (Row m : members) {
                String text = m.isNullAt(3) ? null : m.getString(3);
                keptText = m.getBoolean(1) ? keptText : text;
                docs.add(
                        member(m.getString(0), m.getBoolean(1), m.isNullAt(2) ? null : m.getDouble(2), text, keptText));
            }
            row.put("documents", docs);
            topClusters.add(row);
        }
        report.put("top_clusters", topClusters);
    }

    @SuppressWarnings("unchecked")
    private void print(Map<String, Object> report) {
        List<Map<String, Object>> histogram = (List<Map<String, Object>>) report.get("cluster_size_histogram");
        List<Map<String, Object>> perSource = (List<Map<String, Object>>) report.get("by_source");
        List<Map<String, Object>> topClusters = (List<Map<String, Object>>) report.get("top_clusters");
        out().printf(
                        "%s (input %s, clusters %s)%n",
                        report.get("table"), report.get("input"), report.get("clusters_table"));
        out().printf(
                        "%,d input documents, %,d in %,d clusters, %,d removed as near-duplicates (%.2f %%)%n%n",
                        (long) report.get("input_documents"),
                        (long) report.get("documents_in_clusters"),
                        (long) report.get("clusters"),
                        (long) report.get("duplicates_removed"),
                        100 * (double) report.get("duplicate_rate"));
        TextTable h = new TextTable("cluster size", "clusters", "documents");
        histogram.forEach(row -> h.row(row.get("size"), row.get("clusters"), row.get("documents")));
        h.print(out());
        out().println();
        TextTable s = new TextTable("source", "documents", "duplicates", "rate");
        perSource.forEach(row -> s.row(
                row.get("source"),
                row.get("documents"),
                row.get("duplicates"),
                String.format("%.2f %%", 100 * (double) row.get("rate"))));
        s.print(out());
        for (Map<String, Object> c : topClusters) {
            out().printf("%ncluster %s (%s documents)%n", c.get("cluster_id"), c.get("size"));
            TextTable t = new TextTable(110, "role", "id", "jaccard", "text (a duplicate: its edit of the kept one)");
            for (Map<String, Object> d : (List<Map<String, Object>>) c.get("documents")) {
                t.row(
                        d.get("role"),
                        d.get("id"),
                        d.get("jaccard_to_kept") == null
                                ? ""
                                : String.format("%.3f", (double) d.get("jaccard_to_kept")),
                        d.getOrDefault("edit_against_kept", d.get("text")));
            }
            t.print(out());
        }
        out().flush();
    }

    /**
     * One shown member of a cluster: its text cut to a snippet and, for a duplicate, the edit that tells it from the
     * kept document (the words around the edited span, {@link WordDiff}).
     */
    Map<String, Object> member(String id, boolean duplicate, Double jaccard, String text, String keptText) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("role", duplicate ? "duplicate" : "kept");
        d.put("jaccard_to_kept", jaccard);
        d.put("text", text == null ? "(text not in the input version)" : snippet(text, json ? 500 : 90));
        if (duplicate && text != null && keptText != null) {
            d.put("edit_against_kept", snippet(WordDiff.of(keptText, text, 6), json ? 500 : 200));
        }
        return d;
    }

    static String bucketLabel(int[] b) {
        return b[0] == b[1] ? String.valueOf(b[0]) : b[1] == Integer.MAX_VALUE ? b[0] + "+" : b[0] + "-" + b[1];
    }

    static String snippet(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
