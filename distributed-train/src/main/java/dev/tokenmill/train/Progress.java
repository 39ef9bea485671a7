package dev.tokenmill.train;

import dev.tokenmill.train.model.ModelConfig;

/**
 * Throughput, model FLOPs utilisation and ETA for the progress line. FLOPs per token follow nanoGPT's estimate:
 * {@code 6·N + 12·L·H·Q·T} (N non-embedding parameters, L layers, H heads, Q head size, T sequence length):
 * forward + backward of every weight, plus the attention scores and weighted sums.
 */
public final class Progress {
    private Progress() {
    }

    public static double flopsPerToken(ModelConfig c) {
        return 6.0 * c.nonEmbeddingParameters() + 12.0 * c.layers() * c.heads() * c.headDim() * c.seqLen();
    }

    /** A CPU's fp32 peak, estimated as cores × 32 FLOP/cycle (two 8-wide AVX2 FMA units) × 2.5 GHz. */
    public static double cpuPeakFlops(int cores) {
        return cores * 32.0 * 2.5e9;
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
