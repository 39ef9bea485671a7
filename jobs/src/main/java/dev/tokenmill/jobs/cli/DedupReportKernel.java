package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.lake.read.KernelReader;
import dev.tokenmill.jobs.lake.read.RowFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code dedup-report}'s numbers from a cluster table and the input it was computed on, read with Delta Kernel in this
 * JVM: the same keys, values and orders as the Spark path of {@link DedupReportCommand} (one pass over the clusters,
 * two over the input's id, source and, for the shown members only, text).
 */
final class DedupReportKernel {
    private record Member(String id, long clusterId, boolean duplicate, Double jaccard) {}

    private final KernelReader.Version clusters;
    private final KernelReader.Version input;
    private final int top;
    private final int samples;
    private final DedupReportCommand command;

    DedupReportKernel(
            KernelReader.Version clusters,
            KernelReader.Version input,
            int top,
            int samples,
            DedupReportCommand command) {
        this.clusters = clusters;
        this.input = input;
        this.top = top;
        this.samples = samples;
        this.command = command;
    }

    void fill(Map<String, Object> report) {
        Map<Long, List<Member>> byCluster = new HashMap<>();
        Set<String> duplicateIds = new HashSet<>();
        long[] rows = {0};
        clusters.rows(List.of("id", "cluster_id", "is_duplicate", "jaccard_to_kept"), row -> {
            rows[0]++;
            Member m = new Member(
                    (String) row.get("id"),
                    ((Number) row.get("cluster_id")).longValue(),
                    Boolean.TRUE.equals(row.get("is_duplicate")),
                    row.get("jaccard_to_kept") == null ? null : ((Number) row.get("jaccard_to_kept")).doubleValue());
            byCluster.computeIfAbsent(m.clusterId(), k -> new ArrayList<>()).add(m);
            if (m.duplicate()) {
                duplicateIds.add(m.id());
            }
            return true;
        });
        long duplicates = byCluster.values().stream()
                .flatMap(List::stream)
                .filter(Member::duplicate)
                .count();

        boolean hasSource = input.columns().contains("source");
        // source → {documents, duplicates}, ordered as Spark's orderBy("source"): null first, then UTF-8 bytes
        Map<String, long[]> perSource = new TreeMap<>(Comparator.nullsFirst(RowFilterOrder.UTF8));
        long[] inputRows = {0};
        input.rows(hasSource ? List.of("id", "source") : List.of("id"), row -> {
            inputRows[0]++;
            String source = hasSource ? (String) row.get("source") : "(all)";
            long[] counts = perSource.computeIfAbsent(source, k -> new long[2]);
            counts[0]++;
            if (duplicateIds.contains((String) row.get("id"))) {
                counts[1]++;
            }
            return true;
        });
        report.put("input_documents", inputRows[0]);
        report.put("documents_in_clusters", rows[0]);
        report.put("clusters", (long) byCluster.size());
        report.put("duplicates_removed", duplicates);
        report.put("duplicate_rate", inputRows[0] == 0 ? 0 : duplicates / (double) inputRows[0]);

        List<Map<String, Object>> histogram = new ArrayList<>();
        for (int[] b : DedupReportCommand.SIZE_BUCKETS) {
            long count = 0;
            long documents = 0;
            for (List<Member> members : byCluster.values()) {
                if (members.size() >= b[0] && members.size() <= b[1]) {
                    count++;
                    documents += members.size();
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("size", DedupReportCommand.bucketLabel(b));
            row.put("clusters", count);
            row.put("documents", documents);
            histogram.add(row);
        }
        report.put("cluster_size_histogram", histogram);

        List<Map<String, Object>> bySource = new ArrayList<>();
        perSource.forEach((source, counts) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source", source);
            row.put("documents", counts[0]);
            row.put("duplicates", counts[1]);
            row.put("rate", counts[0] == 0 ? 0 : counts[1] / (double) counts[0]);
            bySource.add(row);
        });
        report.put("by_source", bySource);

        // the largest clusters (size desc, id asc) and their members: kept first, then by Jaccard desc, id asc
        List<Long> largest = new ArrayList<>(byCluster.keySet());
        largest.sort(
                Comparator.comparing((Long id) -> -byCluster.get(id).size()).thenComparing(id -> id));
        largest = largest.subList(0, Math.min(Math.max(top, 0), largest.size()));
        Map<Long, List<Member>> shown = new LinkedHashMap<>();
        Set<String> wanted = new HashSet<>();
        for (long id : largest) {
            List<Member> members = new ArrayList<>(byCluster.get(id));
            members.sort(Comparator.comparing(Member::duplicate)
                    .thenComparing(Member::jaccard, Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(Member::id, RowFilterOrder.UTF8));
            members = members.subList(0, Math.min(samples + 1, members.size()));
            shown.put(id, members);
            members.forEach(m -> wanted.add(m.id()));
        }
        Map<String, String> texts = new HashMap<>();
        if (!wanted.isEmpty()) {
            input.rows(List.of("id", "text"), row -> {
                if (wanted.contains((String) row.get("id"))) {
                    texts.put((String) row.get("id"), (String) row.get("text"));
                }
                return texts.size() < wanted.size();
            });
        }
        List<Map<String, Object>> topClusters = new ArrayList<>();
        shown.forEach((id, members) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cluster_id", id);
            row.put("size", (long) byCluster.get(id).size());
            List<Map<String, Object>> docs = new ArrayList<>();
            String keptText = null;
            for (Member m : members) {
                String text = texts.get(m.id());
                keptText = m.duplicate() ? keptText : text;
                docs.add(command.member(m.id(), m.duplicate(), m.jaccard(), text, keptText));
            }
            row.put("documents", docs);
            topClusters.add(row);
        });
        report.put("top_clusters", topClusters);
    }

    /** Spark's default string order (UTF-8 bytes), as a comparator. */
    private static final class RowFilterOrder {
        static final Comparator<String> UTF8 = RowFilter::compareUtf8;
    }
}
