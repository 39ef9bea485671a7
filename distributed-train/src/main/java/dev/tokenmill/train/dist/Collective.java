package dev.tokenmill.train.dist;

/**
 * The collectives data-parallel training needs, over a group of ranks. Behind an interface so a GPU build can
 * put NCCL (through a JNI bridge to libtorch's process group) where the TCP ring runs on CPU.
 */
public interface Collective extends AutoCloseable {
    int rank();

    int size();

    /** Replaces {@code data} on every rank by the element-wise sum over all ranks (same length everywhere). */
    void allReduceSum(float[] data);

    /** Returns when every rank has called it. */
    void barrier();

    @Override
    default void close() {}

    /** The group of one: every collective is a no-op. */
    static Collective single() {
        return new Collective() {
            @Override
            public int rank() {
                return 0;
            }

            @Override
            public int size() {
                return 1;
            }

            @Override
            public void allReduceSum(float[] data) {}

            @Override
            public void barrier() {}
        };
    }
}
