package dev.tokenmill.train.dist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Collectives over tensors, what the training step synchronises with. {@link HostRing} runs them through a
 * {@link Collective} of host arrays (the TCP ring on CPU); a GPU build can reduce on the device instead (NCCL
 * through a bridge to libtorch's process group) behind the same interface.
 */
public interface TensorCollective {
    int rank();

    int size();

    /**
     * The element-wise sums of {@code tensors} over the group, as fp32 tensors of the same shapes, in order, owned by
     * {@code manager}. Every rank passes tensors of the same shapes in the same order.
     */
    List<NDArray> allReduceSum(List<NDArray> tensors, NDManager manager);

    /** The host implementation: the tensors end to end in one float buffer, one all-reduce, split back. */
    final class HostRing implements TensorCollective {
        private final Collective group;

        public HostRing(Collective group) {
            this.group = group;
        }

        @Override
        public int rank() {
            return group.rank();
        }

        @Override
        public int size() {
            return group.size();
        }

        @Override
        public List<NDArray> allReduceSum(List<NDArray> tensors, NDManager manager) {
            long total = 0;
            for (NDArray t : tensors) {
                total += t.size();
            }
            float[] flat = new float[Math.toIntExact(total)];
            int at = 0;
            for (NDArray t : tensors) {
                float[] v = HostArrays.floats(t);
                System.arraycopy(v, 0, flat, at, v.length);
                at += v.length;
            }
            group.allReduceSum(flat);
            List<NDArray> sums = new java.util.ArrayList<>(tensors.size());
            at = 0;
            for (NDArray t : tensors) {
                int n = Math.toIntExact(t.size());
                sums.add(manager.create(java.nio.FloatBuffer.wrap(flat, at, n), t.getShape()));
                at += n;
            }
            return sums;
        }
    }
}
