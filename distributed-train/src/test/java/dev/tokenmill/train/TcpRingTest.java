package dev.tokenmill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tokenmill.train.dist.TcpRing;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TcpRingTest {

    /** Every rank ends with the element-wise sum, for ring sizes 2–4 and lengths below, at and above one bucket. */
    @Test
    void ringAllReduceSums() throws Exception {
        for (int size = 2; size <= 4; size++) {
            for (int length : new int[] {1, 3, 1000, (1 << 22) + 7}) {
                if (length > 1000 && size > 2) {
                    continue;
                }
                float[][] inputs = new float[size][length];
                float[] expected = new float[length];
                SplittableRandom rng = new SplittableRandom(size * 31L + length);
                for (int r = 0; r < size; r++) {
                    for (int i = 0; i < length; i++) {
                        inputs[r][i] = (float) rng.nextDouble(-1, 1);
                    }
                }
                for (int i = 0; i < length; i++) {
                    // the ring adds in a fixed order per segment; compare with a tolerance, not bits
                    double s = 0;
                    for (int r = 0; r < size; r++) {
                        s += inputs[r][i];
                    }
                    expected[i] = (float) s;
                }
                ThreadRendezvous rv = new ThreadRendezvous(size);
                ExecutorService pool = Executors.newFixedThreadPool(size);
                List<Future<float[]>> results = new ArrayList<>();
                for (int r = 0; r < size; r++) {
                    int rank = r;
                    int n = size;
                    results.add(pool.submit(() -> {
                        try (TcpRing ring = new TcpRing(rank, n, "127.0.0.1", rv.forRank(rank))) {
                            float[] data = inputs[rank].clone();
                            ring.allReduceSum(data);
                            ring.barrier();
                            return data;
                        }
                    }));
                }
                float[] first = results.get(0).get();
                assertArrayEquals(expected, first, 1e-5f, "size " + size + " length " + length);
                for (Future<float[]> f : results) {
                    assertArrayEquals(first, f.get(), "every rank holds the same bits");
                }
                pool.shutdown();
            }
        }
    }
}
