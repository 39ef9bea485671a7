package dev.tokenmill.quality.active;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which unlabelled documents to label next (pool-based active learning, Settles 2009, §3): the classifier's
 * probability of the positive class for every candidate, and a strategy. For a binary classifier least-confidence
 * (|p − ½|), margin (|2p − 1|) and entropy rank the pool the same way, so {@code uncertainty}, {@code margin} and
 * {@code entropy} pick the same documents (kept as names because users ask for them). {@code diverse} takes the
 * 5·n most uncertain and then picks by farthest-first traversal (k-center greedy, Sener & Savarese 2018) over the
 * Jaccard distance of their hashed n-gram features, so near-copies of one uncertain document do not fill the queue.
 * {@code random} is the baseline. Pure and seeded: ties and the random order come from a hash of (seed, id).
 */
public final class LabelQueue {
    public enum Strategy {
        UNCERTAINTY,
        MARGIN,
        ENTROPY,
        DIVERSE,
        RANDOM
    }

    /** A pool document: its id, stratum (e.g. source; may be null), P(positive) and sorted hashed feature indices. */
    public record Candidate(String id, String stratum, double score, int[] features) {}

    private LabelQueue() {}

    /** How informative a label for a document scored {@code p} is, higher first (0 for {@code random}). */
    public static double informativeness(Strategy s, double p) {
        return switch (s) {
            case UNCERTAINTY, DIVERSE -> 0.5 - Math.abs(p - 0.5);
            case MARGIN -> 1 - Math.abs(2 * p - 1);
            case ENTROPY -> entropy(p);
            case RANDOM -> 0;
        };
    }

    private static double entropy(double p) {
        if (p <= 0 || p >= 1) {
            return 0;
        }
        return -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
    }

    /** The {@code n} documents to label next, in the order they were picked. */
    public static List<Candidate> pick(List<Candidate> pool, int n, Strategy s, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be ≥ 0");
        }
        List<Candidate> ordered = new ArrayList<>(pool);
        Comparator<Candidate> byHash = Comparator.comparingLong(c -> hash(seed, c.id()));
        if (s == Strategy.RANDOM) {
            ordered.sort(byHash);
            return List.copyOf(ordered.subList(0, Math.min(n, ordered.size())));
        }
        ordered.sort(Comparator.comparingDouble((Candidate c) -> -informativeness(s, c.score()))
                .thenComparing(byHash));
        if (s != Strategy.DIVERSE) {
            return List.copyOf(ordered.subList(0, Math.min(n, ordered.size())));
        }
        List<Candidate> shortlist = ordered.subList(0, Math.min(ordered.size(), 5 * n));
        return farthestFirst(shortlist, n);
    }

    /** k-center greedy from the most uncertain: each next pick is the one farthest from all picked so far. */
    static List<Candidate> farthestFirst(List<Candidate> shortlist, int n) {
        List<Candidate> chosen = new ArrayList<>();
        if (shortlist.isEmpty() || n == 0) {
            return chosen;
        }
        double[] nearest = new double[shortlist.size()];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        int next = 0;
        boolean[] taken = new boolean[shortlist.size()];
        while (chosen.size() < Math.min(n, shortlist.size())) {
            taken[next] = true;
            Candidate picked = shortlist.get(next);
            chosen.add(picked);
            int best = -1;
            for (int i = 0; i < shortlist.size(); i++) {
                if (taken[i]) {
                    continue;
                }
                nearest[i] = Math.min(
                        nearest[i], distance(picked.features(), shortlist.get(i).features()));
                // ties keep the shortlist's order: the more uncertain first
                if (best < 0 || nearest[i] > nearest[best]) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            next = best;
        }
        return chosen;
    }

    /** 1 − Jaccard of two sorted index sets (1 when both are empty). */
    static double distance(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        int union = a.length + b.length - common;
        return union == 0 ? 1 : 1 - common / (double) union;
    }

    /**
     * {@code n} labels spread over strata in proportion to their pool sizes (largest remainders; a stratum never
     * gets more than it holds), for a queue stratified by, say, source.
     */
    public static Map<String, Integer> allocate(Map<String, Long> sizes, int n) {
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Integer> out = new LinkedHashMap<>();
        if (total == 0) {
            sizes.keySet().forEach(k -> out.put(k, 0));
            return out;
        }
        int budget = (int) Math.min(n, total);
        List<Map.Entry<String, Double>> remainders = new ArrayList<>();
        int given = 0;
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            double exact = budget * e.getValue() / (double) total;
            int whole = (int) Math.min(e.getValue(), Math.floor(exact));
            out.put(e.getKey(), whole);
            given += whole;
            remainders.add(Map.entry(e.getKey(), exact - whole));
        }
        remainders.sort(
                Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; given < budget; i = (i + 1) % remainders.size()) {
            String k = remainders.get(i).getKey();
            if (out.get(k) < sizes.get(k)) {
                out.put(k, out.get(k) + 1);
                given++;
            }
        }
        return out;
    }

    private static long hash(long seed, String id) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        return h ^ (h >>> 33);
    }
}
