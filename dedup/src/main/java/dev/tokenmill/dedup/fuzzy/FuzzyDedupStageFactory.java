package dev.tokenmill.dedup.fuzzy;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.dedup.minhash.LshParams;
import dev.tokenmill.dedup.minhash.Shingler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code dedup-fuzzy} stage and its parameters. Without {@code bands}/{@code rows} the banding is datasketch's
 * optimum for the threshold, false positives and negatives weighted {@code fp_weight}/{@code fn_weight}: 0.1/0.9
 * with verification (which removes the false positives), else datasketch's 0.5/0.5.
 */
public final class FuzzyDedupStageFactory implements StageFactory {
    static final Param<String> SHINGLE = Param.oneOf(
            "shingle",
            "word",
            List.of("word", "char"),
            "shingle unit: words (split on whitespace and punctuation) or characters");
    static final Param<Integer> NGRAM = Param.integer("ngram", 5, 1, 64, "shingle length in units");
    static final Param<Integer> NUM_PERM = Param.integer("num_perm", 128, 8, 1024, "MinHash permutations");
    static final Param<Double> THRESHOLD =
            Param.number("threshold", 0.7, 0.01, 0.99, "Jaccard similarity at which two documents are near duplicates");
    static final Param<Integer> BANDS = Param.optionalInteger(
                    "bands", 1, 1024, "LSH bands (with rows; bands × rows ≤ num_perm)")
            .defaultText("optimal for threshold");
    static final Param<Integer> ROWS = Param.optionalInteger("rows", 1, 1024, "LSH rows per band (with bands)")
            .defaultText("optimal for threshold");
    static final Param<Double> FP_WEIGHT = Param.optionalNumber(
                    "fp_weight", 0, 1, "weight of false positives when choosing the banding")
            .defaultText("0.1 with verify, else 0.5");
    static final Param<Double> FN_WEIGHT = Param.optionalNumber(
                    "fn_weight", 0, 1, "weight of false negatives when choosing the banding")
            .defaultText("0.9 with verify, else 0.5");
    static final Param<Boolean> VERIFY = Param.bool(
            "verify", true, "candidate pairs must reach the threshold in exact Jaccard of their shingle sets");
    static final Param<Integer> BUCKET_ANCHORS = Param.integer(
            "bucket_anchors",
            8,
            1,
            1024,
            "members of a band bucket every other member is compared with (bounds pairs per bucket)");
    static final Param<Integer> SEED = Param.optionalInteger(
                    "seed", Integer.MIN_VALUE, Integer.MAX_VALUE, "seed of the MinHash permutations")
            .defaultText("the recipe seed");
    static final Param<String> INDEX = Param.string(
            "index", null, "lake table of earlier batches' signatures, for incremental runs (read, then appended to)");
    static final Param<String> CLUSTERS =
            Param.string("clusters", null, "lake table the duplicate clusters are written to");
    static final Param<Integer> MAX_ROUNDS = Param.integer(
                    "max_rounds", 64, 2, 1000, "connected-components rounds before giving up")
            .notInOutput();
    static final Param<Integer> LOCAL_COMPONENTS_MAX_EDGES = Param.integer(
                    "local_components_max_edges",
                    1_000_000,
                    0,
                    50_000_000,
                    "graphs up to this many verified edges are solved by union-find on the driver; 0 forces the "
                            + "distributed large-star/small-star rounds")
            .notInOutput();
    static final ParamSet PARAMS = new ParamSet(
            "dedup-fuzzy",
            SHINGLE,
            NGRAM,
            NUM_PERM,
            THRESHOLD,
            BANDS,
            ROWS,
            FP_WEIGHT,
            FN_WEIGHT,
            VERIFY,
            BUCKET_ANCHORS,
            SEED,
            INDEX,
            CLUSTERS,
            MAX_ROUNDS,
            LOCAL_COMPONENTS_MAX_EDGES);

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
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public Stage create(ParamValues v) {
        int numPerm = v.get(NUM_PERM);
        double threshold = v.get(THRESHOLD);
        boolean verify = v.get(VERIFY);
        LshParams lsh;
        Map<String, Object> config = new LinkedHashMap<>(v.config());
        if (v.get(BANDS) != null || v.get(ROWS) != null) {
            if (v.get(BANDS) == null || v.get(ROWS) == null) {
                throw new IllegalArgumentException("stage 'dedup-fuzzy': give both 'bands' and 'rows', or neither");
            }
            int bands = v.get(BANDS);
            int rows = v.get(ROWS);
            if (bands * rows > numPerm) {
                throw new IllegalArgumentException(
                        "stage 'dedup-fuzzy': bands × rows = " + bands * rows + " exceeds num_perm " + numPerm);
            }
            lsh = LshParams.evaluate(threshold, bands, rows);
        } else {
            // verified pairs lose their false positives, so with verification the banding leans to recall
            double fp = v.get(FP_WEIGHT) != null ? v.get(FP_WEIGHT) : verify ? 0.1 : 0.5;
            double fn = v.get(FN_WEIGHT) != null ? v.get(FN_WEIGHT) : verify ? 0.9 : 0.5;
            lsh = LshParams.optimal(threshold, numPerm, fp, fn);
            config.put(FP_WEIGHT.name(), fp);
            config.put(FN_WEIGHT.name(), fn);
        }
        config.put(BANDS.name(), lsh.bands());
        config.put(ROWS.name(), lsh.rows());
        config.put("hash", "xxh3_64 shingles, multiply-add-shift permutations, xxh3_64 bands");
        Integer seed = v.get(SEED);
        return new FuzzyDedupStage(
                config,
                new FuzzyConfig(
                        Shingler.Unit.valueOf(v.get(SHINGLE).toUpperCase(Locale.ROOT)),
                        v.get(NGRAM),
                        numPerm,
                        threshold,
                        lsh,
                        verify,
                        v.get(BUCKET_ANCHORS),
                        seed == null ? null : (long) seed,
                        v.get(INDEX),
                        v.get(CLUSTERS),
                        v.get(MAX_ROUNDS),
                        (long) v.get(LOCAL_COMPONENTS_MAX_EDGES)));
    }
}
