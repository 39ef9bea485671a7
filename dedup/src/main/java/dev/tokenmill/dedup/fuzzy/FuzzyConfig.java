package dev.tokenmill.dedup.fuzzy;

import dev.tokenmill.dedup.minhash.LshParams;
import dev.tokenmill.dedup.minhash.Shingler;

/**
 * Everything that decides the result of {@code dedup-fuzzy}.
 *
 * @param anchors     how many of the lowest members of a band bucket every other member is compared with (all
 *                    pairs when the bucket has at most anchors + 1 members), so a bucket of k documents gives at
 *                    most anchors·k candidate pairs, never k²
 * @param index       lake table of earlier batches' kept documents (null: no incremental index)
 * @param clusters    lake table the cluster rows are written to (null: not written)
 * @param localComponentsMaxEdges graphs with at most this many edges are solved on the driver
 */
public record FuzzyConfig(
        Shingler.Unit unit,
        int ngram,
        int numPerm,
        double threshold,
        LshParams lsh,
        boolean verify,
        int anchors,
        Long seed,
        String index,
        String clusters,
        int maxIterations,
        long localComponentsMaxEdges)
        implements java.io.Serializable {}
