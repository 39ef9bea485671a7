package dev.tokenmill.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The fp32 matrix-multiply rate libtorch reaches here on the calling thread's intra-op threads: the measured peak a
 * training run's FLOP/s is compared with (a nominal peak from the clock and vector width overstates what any
 * engine gets on a shared or throttled CPU).
 */
public final class GemmRate {
    private GemmRate() {}

    /**
     * GFLOP/s of {@code (m × k) · (k × n)} products: five untimed (the first calls start libtorch's thread pool and
     * pick kernels: a first measurement with two of them read half the rate), then the best of {@code reps} timed.
     */
    public static double measure(int m, int k, int n, int reps, int threads) {
        Torch.setThreads(threads);
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            manager.getEngine().setRandomSeed(7);
            NDArray a = manager.randomNormal(new Shape(m, k), DataType.FLOAT32);
            NDArray b = manager.randomNormal(new Shape(k, n), DataType.FLOAT32);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < reps + 5; i++) {
                long t0 = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    // libtorch's CPU ops are synchronous: the product is complete when matMul returns
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (i >= 5) {
                    best = Math.min(best, s);
                }
            }
            return 2.0 * m * k * n / best / 1e9;
        }
    }
}
