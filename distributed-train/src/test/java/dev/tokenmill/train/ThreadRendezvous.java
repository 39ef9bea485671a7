package dev.tokenmill.train;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Function;

/** allGather for ranks running as threads of one JVM (what a Spark barrier stage's allGather does across tasks). */
final class ThreadRendezvous {
    private final String[] slots;
    private final CyclicBarrier barrier;

    ThreadRendezvous(int size) {
        slots = new String[size];
        barrier = new CyclicBarrier(size);
    }

    Function<String, String[]> forRank(int rank) {
        return message -> {
            slots[rank] = message;
            try {
                barrier.await();
                String[] all = slots.clone();
                barrier.await();
                return all;
            } catch (InterruptedException | BrokenBarrierException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
