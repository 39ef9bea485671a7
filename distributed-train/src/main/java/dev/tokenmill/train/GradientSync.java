package dev.tokenmill.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenmill.train.dist.TensorCollective;
import dev.tokenmill.train.dist.Topology;
import dev.tokenmill.train.model.LlamaModel;
import dev.tokenmill.train.model.ParameterNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A step's gradients made global: summed over the data-parallel group with the loss (one collective), averaged and
 * unscaled, the tied embedding's two pipeline copies summed, checked for overflow, and measured by the global norm
 * over the whole model (each stage's sum of squares, the tied table once, summed over the pipeline); then clipped.
 */
final class GradientSync {
    /** The averaged, unscaled gradients by parameter name (fp32), the mean loss, the global norm and overflow. */
    record Synced(Map<String, NDArray> grads, float loss, double norm, boolean overflow) {}

    private final LlamaModel model;
    private final Topology topo;
    private final TensorCollective dp;
    private final TensorCollective pp;
    private final NDManager manager;

    GradientSync(LlamaModel model, Topology topo, NDManager manager) {
        this.model = model;
        this.topo = topo;
        this.dp = new TensorCollective.HostRing(topo.dpGroup());
        this.pp = new TensorCollective.HostRing(topo.ppGroup());
        this.manager = manager;
    }

    /** {@code meanLoss}: this rank's mean micro-batch loss; {@code lossScale}: what the loss gradient was scaled by. */
    Synced sync(float meanLoss, double lossScale) {
        List<NDArray> local = new ArrayList<>();
        for (NDArray p : model.parameters().values()) {
            local.add(p.getGradient());
        }
        local.add(manager.create(new float[] {meanLoss}, new Shape(1)));
        List<NDArray> sums = dp.allReduceSum(local, manager);
        float inv = 1f / dp.size();
        float loss = sums.get(sums.size() - 1).toFloatArray()[0] * inv;
        NDArray unscale = scalar((float) (inv / lossScale));
        Map<String, NDArray> grads = new LinkedHashMap<>();
        boolean overflow = false;
        int i = 0;
        for (String name : model.parameters().keySet()) {
            NDArray g = sums.get(i++).mul(unscale);
            overflow |= g.isInfinite().any().getBoolean()
                    || g.isNaN().any().getBoolean(); // same sums on every rank: all agree
            grads.put(name, g);
        }
        boolean tied = model.config().tiedEmbeddings() && topo.pp() > 1;
        if (tied) {
            sumTiedEmbedding(grads);
        }
        double sumSq = 0;
        for (Map.Entry<String, NDArray> e : grads.entrySet()) {
            if (tied && !topo.firstStage() && e.getKey().equals(ParameterNames.EMBED)) {
                continue; // the tied table counts once, on the first stage
            }
            for (float v : e.getValue().toFloatArray()) { // in order, in double: the same norm on every layout
                sumSq += (double) v * v;
            }
        }
        if (topo.pp() > 1) {
            float[] shared = {(float) sumSq, topo.lastStage() ? loss : 0f, overflow ? 1f : 0f};
            topo.ppGroup().allReduceSum(shared);
            sumSq = shared[0];
            loss = shared[1]; // the loss is known on the last stage only
            overflow = shared[2] > 0 || !Double.isFinite(sumSq);
        }
        return new Synced(grads, loss, Math.sqrt(sumSq), overflow);
    }

    /** The gradients scaled so their global norm is at most {@code maxNorm} (0: unclipped). */
    Map<String, NDArray> clipped(Synced s, double maxNorm) {
        if (maxNorm <= 0 || s.norm() <= maxNorm) {
            return s.grads();
        }
        NDArray c = scalar((float) (maxNorm / (s.norm() + 1e-6)));
        Map<String, NDArray> out = new LinkedHashMap<>();
        s.grads().forEach((k, g) -> out.put(k, g.mul(c)));
        return out;
    }

    /** The first and last stage each hold the tied table: both must step with the sum of their gradients. */
    private void sumTiedEmbedding(Map<String, NDArray> grads) {
        NDArray own = grads.get(ParameterNames.EMBED);
        Shape table = new Shape(model.config().vocabSize(), model.config().dModel());
        NDArray part = own != null ? own : manager.zeros(table, DataType.FLOAT32);
        NDArray sum = pp.allReduceSum(List.of(part), manager).get(0);
        if (own != null) {
            grads.put(ParameterNames.EMBED, sum);
        }
    }

    private NDArray scalar(float v) {
        return manager.full(new Shape(), v, DataType.FLOAT32, manager.getDevice());
    }
}
