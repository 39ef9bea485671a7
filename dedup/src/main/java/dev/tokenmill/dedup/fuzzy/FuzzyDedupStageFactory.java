package dev.tokenmill.dedup.fuzzy;

import dev.tokenmill.core.Params;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.dedup.minhash.LshParams;
import dev.tokenmill.dedup.minhash.Shingler;
import java.util.Map;

/**
 * Recipe parameters of {@code dedup-fuzzy}: {@code shingle} (word | char), {@code ngram} (5 words / 5 chars),
 * {@code num_perm} (128), {@code threshold} (0.7), {@code bands}/{@code rows} (default: datasketch's optimum for the
 * threshold, false positive and negative weighted {@code fp_weight}/{@code fn_weight}: 0.1/0.9 with verification, which
 * removes the false positives, else datasketch's 0.5/0.5), {@code verify}
 * (true: candidate pairs must reach the threshold in exact Jaccard), {@code bucket_anchors} (8), {@code seed}
 * (the recipe seed), {@code index} (lake table for incremental runs), {@code clusters} (lake table of clusters),
 * {@code max_rounds} (connected-components rounds before giving up, 64), {@code local_components_max_edges} (graphs up to
 * this many verified edges, 1,000,000 by default, are solved by union-find on the driver; 0 forces the distributed
 * large-star/small-star rounds).
 */
public final class FuzzyDedupStageFactory implements StageFactory {
    @Override
    public String name() {
        return "dedup-fuzzy";
    }

    @Override
    public String description() {
        return "near duplicates by MinHash LSH (word 5-grams, 128 permutations, Jaccard 0.7), verified pairs, "
            + "connected components; optional incremental index and cluster table";
    }

    @Override
    public Stage create(Map<String, Object> params) {
        Params p = new Params(name(), params).allowOnly("shingle", "ngram", "num_perm", "threshold", "bands", "rows",
            "fp_weight", "fn_weight", "verify", "bucket_anchors", "seed", "index", "clusters", "max_rounds",
            "local_components_max_edges");
        Shingler.Unit unit = Shingler.Unit.valueOf(p.oneOf("shingle", "word", "word", "char").toUpperCase());
        int ngram = p.integer("ngram", 5, 1, 64);
        int numPerm = p.integer("num_perm", 128, 8, 1024);
        double threshold = p.number("threshold", 0.7, 0.01, 0.99);
        LshParams lsh;
        if (params != null && (params.containsKey("bands") || params.containsKey("rows"))) {
            int bands = p.integer("bands", 0, 1, numPerm);
            int rows = p.integer("rows", 0, 1, numPerm);
            if (bands * rows > numPerm) {
                throw new IllegalArgumentException("stage 'dedup-fuzzy': bands × rows = " + bands * rows
                    + " exceeds num_perm " + numPerm);
            }
            LshParams scored = LshParams.evaluate(threshold, bands, rows);
            lsh = scored;
        } else {
            // verified pairs lose their false positives, so with verification the banding leans to recall
            boolean verify = p.bool("verify", true);
            lsh = LshParams.optimal(threshold, numPerm, p.number("fp_weight", verify ? 0.1 : 0.5, 0, 1),
                p.number("fn_weight", verify ? 0.9 : 0.5, 0, 1));
        }
        Object seed = params == null ? null : params.get("seed");
        return new FuzzyDedupStage(new FuzzyConfig(unit, ngram, numPerm, threshold, lsh, p.bool("verify", true),
            p.integer("bucket_anchors", 8, 1, 1024), seed == null ? null : (long) p.integer("seed", 0, Integer.MIN_VALUE,
            Integer.MAX_VALUE), p.string("index", null), p.string("clusters", null), p.integer("max_rounds", 64, 2, 1000),
            (long) p.integer("local_components_max_edges", 1_000_000, 0, 50_000_000)));
    }
}
