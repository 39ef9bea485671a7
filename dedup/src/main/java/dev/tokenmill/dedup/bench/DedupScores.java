package dev.tokenmill.dedup.bench;

import dev.tokenmill.dedup.minhash.LshParams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores a dedup result against a {@link NearDuplicateCorpus}: pair precision / recall / F1 over the labelled
 * pairs (a pair is a true duplicate when its exact Jaccard ≥ threshold, predicted when both documents are in one
 * cluster), recall per edit rate next to the LSH S-curve, and the adjusted Rand index of the clusters against the
 * true clusters (connected components of the labelled pairs at or over the threshold).
 */
public final class DedupScores {

    /**
     * One row of the per-rate table; {@code expectedCandidate} is the mean S-curve probability 1 − (1 − s^r)^b over
     * the row's positive pairs: the recall LSH alone would give them, before components add transitive links.
     */
    public record RateRow(
            double rate, int pairs, int positives, int found, double meanJaccard, double expectedCandidate) {
        public double recall() {
            return positives == 0 ? Double.NaN : found / (double) positives;
        }
    }

    public record Result(
            int truePositives,
            int falsePositives,
            int falseNegatives,
            int trueNegatives,
            double ari,
            List<RateRow> byRate,
            Map<String, double[]> recallByEdit) {
        public double precision() {
            return truePositives + falsePositives == 0 ? 1 : truePositives / (double) (truePositives + falsePositives);
        }

        public double recall() {
            return truePositives + falseNegatives == 0 ? 1 : truePositives / (double) (truePositives + falseNegatives);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    private DedupScores() {}

    /**
     * @param clusterOf predicted cluster of each document id; a document absent from the map is a singleton
     * @param lsh       the banding used, for the S-curve column (null to leave it out)
     */
    public static Result score(
            NearDuplicateCorpus.Corpus corpus, Map<String, String> clusterOf, double threshold, LshParams lsh) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        Map<Double, int[]> rateCounts = new TreeMap<>();
        Map<Double, double[]> rateSums = new TreeMap<>();
        Map<String, double[]> byEdit = new TreeMap<>();
        UnionFind truth = new UnionFind();
        for (NearDuplicateCorpus.Pair p : corpus.pairs()) {
            boolean actual = p.jaccard() >= threshold;
            String ca = clusterOf.get(p.a());
            boolean predicted = ca != null && ca.equals(clusterOf.get(p.b()));
            if (actual && predicted) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (actual) {
                fn++;
            } else {
                tn++;
            }
            if (actual) {
                truth.union(p.a(), p.b());
            }
            if (p.kind().equals("variant")) {
                int[] c = rateCounts.computeIfAbsent(p.rate(), r -> new int[3]);
                double[] s = rateSums.computeIfAbsent(p.rate(), r -> new double[2]);
                c[0]++;
                s[0] += p.jaccard();
                if (actual) {
                    s[1] += lsh == null ? Double.NaN : lsh.candidateProbability(p.jaccard());
                    c[1]++;
                    if (predicted) {
                        c[2]++;
                    }
                    double[] e = byEdit.computeIfAbsent(p.edit(), k -> new double[2]);
                    e[0]++;
                    e[1] += predicted ? 1 : 0;
                }
            }
        }
        List<RateRow> rows = rateCounts.entrySet().stream()
                .map(e -> {
                    int[] c = e.getValue();
                    double[] s = rateSums.get(e.getKey());
                    return new RateRow(e.getKey(), c[0], c[1], c[2], s[0] / c[0], c[1] == 0 ? Double.NaN : s[1] / c[1]);
                })
                .toList();
        Map<String, double[]> recallByEdit = new TreeMap<>();
        byEdit.forEach((k, v) -> recallByEdit.put(k, new double[] {v[0], v[0] == 0 ? Double.NaN : v[1] / v[0]}));
        List<String> ids =
                corpus.docs().stream().map(NearDuplicateCorpus.Doc::id).toList();
        double ari = adjustedRandIndex(ids, id -> truth.find(id), id -> clusterOf.getOrDefault(id, "self:" + id));
        return new Result(tp, fp, fn, tn, ari, rows, recallByEdit);
    }

    /** Hubert and Arabie's adjusted Rand index of two labelings of {@code ids}. */
    public static double adjustedRandIndex(
            List<String> ids,
            java.util.function.Function<String, String> x,
            java.util.function.Function<String, String> y) {
        Map<String, Long> a = new HashMap<>();
        Map<String, Long> b = new HashMap<>();
        Map<String, Long> both = new HashMap<>();
        for (String id : ids) {
            String lx = x.apply(id);
            String ly = y.apply(id);
            a.merge(lx, 1L, Long::sum);
            b.merge(ly, 1L, Long::sum);
            both.merge(lx + "\u0000" + ly, 1L, Long::sum);
        }
        double index = both.values().stream().mapToDouble(DedupScores::choose2).sum();
        double sumA = a.values().stream().mapToDouble(DedupScores::choose2).sum();
        double sumB = b.values().stream().mapToDouble(DedupScores::choose2).sum();
        double expected = sumA * sumB / choose2(ids.size());
        double max = (sumA + sumB) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }

    private static double choose2(long n) {
        return n * (n - 1) / 2.0;
    }

    /** Union-find over string ids; a document never unioned is its own cluster. */
    private static final class UnionFind {
        private final Map<String, String> parent = new HashMap<>();

        String find(String x) {
            String p = parent.getOrDefault(x, x);
            if (p.equals(x)) {
                return x;
            }
            String root = find(p);
            parent.put(x, root);
            return root;
        }

        void union(String x, String y) {
            String rx = find(x);
            String ry = find(y);
            if (!rx.equals(ry)) {
                parent.put(rx.compareTo(ry) < 0 ? ry : rx, rx.compareTo(ry) < 0 ? rx : ry);
            }
        }
    }
}
