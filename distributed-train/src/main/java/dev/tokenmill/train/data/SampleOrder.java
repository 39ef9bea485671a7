package dev.tokenmill.train.data;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The global training order: the last {@code heldOut} samples are the evaluation split; the others are visited in
 * a fresh seeded permutation each epoch. Position {@code g} of the order (g = consumed samples) is the same on
 * every rank and across resumes, so a rank's slice of a global batch depends only on the step and the layout.
 */
public final class SampleOrder {
    private final int trainSize;
    private final int heldOut;
    private final long seed;
    private final Map<Long, int[]> permutations = new HashMap<>();

    public SampleOrder(int samples, int heldOut, long seed) {
        if (heldOut < 0 || heldOut >= samples) {
            throw new IllegalArgumentException(
                    "cannot hold out " + heldOut + " of " + samples + " samples for evaluation");
        }
        this.trainSize = samples - heldOut;
        this.heldOut = heldOut;
        this.seed = seed;
    }

    /**
     * How many windows a run holds out: {@code evalSamples}, at most a tenth of the data, none when it never
     * evaluates. The trainer and whoever re-scores its held-out windows later both ask here.
     */
    public static int heldOutCount(int evalSamples, boolean evaluates, int samples) {
        return evaluates ? Math.min(evalSamples, Math.max(0, samples / 10)) : 0;
    }

    public int trainSize() {
        return trainSize;
    }

    public int heldOut() {
        return heldOut;
    }

    /** The sample index at global position {@code g}. */
    public int at(long g) {
        long epoch = g / trainSize;
        int[] perm = permutations.computeIfAbsent(epoch, this::permutation);
        if (permutations.size() > 2) {
            permutations.keySet().removeIf(e -> e < epoch);
        }
        return perm[(int) (g % trainSize)];
    }

    /** Evaluation sample {@code i} (0 ≤ i < heldOut). */
    public int heldOutSample(int i) {
        return trainSize + i;
    }

    private int[] permutation(long epoch) {
        int[] p = new int[trainSize];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + epoch);
        for (int i = p.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
