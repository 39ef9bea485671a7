package dev.tokenmill.train;

import dev.tokenmill.train.model.ModelConfig;

/**
 * Throughput, model FLOPs utilisation and ETA for the progress line. FLOPs per token follow nanoGPT's estimate:
 * {@code 6·N + 12·L·H·Q·T} (N non-embedding parameters, L layers, H heads, Q head size, T sequence length):
 * forward + backward of every weight, plus the attention scores and weighted sums.
 */
public final class Progress {
    private Progress() {}

    public static double flopsPerToken(ModelConfig c) {
        return 6.0 * c.nonEmbeddingParameters() + 12.0 * c.layers() * c.heads() * c.headDim() * c.seqLen();
    }

    /**
     * A CPU's fp32 peak for {@code cores} cores: two FMA units per core, 8 lanes wide with AVX2 (32 FLOP/cycle) or 16
     * with AVX-512 (64), at the clock /proc/cpuinfo reports (2.5 GHz when it says nothing).
     */
    public static double cpuPeakFlops(int cores) {
        double ghz = 2.5;
        int perCycle = 32;
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("cpu MHz")) {
                    ghz = Double.parseDouble(
                                    line.substring(line.indexOf(':') + 1).strip())
                            / 1000;
                } else if (line.startsWith("flags") && line.contains(" avx512f")) {
                    perCycle = 64;
                }
                if (line.isBlank()) {
                    break; // the first processor describes them all
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or an unexpected format: keep the defaults
        }
        return cores * perCycle * ghz * 1e9;
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
