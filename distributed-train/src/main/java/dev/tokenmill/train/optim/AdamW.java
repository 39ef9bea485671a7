package dev.tokenmill.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW with PyTorch's update order (decoupled decay, then {@code p -= lr / bc1 · m / (sqrt(v) / sqrt(bc2) + eps)}),
 * its moments held as named tensors so a checkpoint can save and restore them (DJL's own Adam keeps them
 * private). Parameters named in {@code noDecay} (norm gains) are not decayed.
 */
public final class AdamW {
    public static final String M = "exp_avg.";
    public static final String V = "exp_avg_sq.";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Set<String> noDecay;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long step;

    public AdamW(
            Map<String, NDArray> parameters,
            Set<String> noDecay,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            NDManager manager) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.noDecay = Set.copyOf(noDecay);
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            m.put(e.getKey(), manager.zeros(e.getValue().getShape()));
            v.put(e.getKey(), manager.zeros(e.getValue().getShape()));
        }
    }

    public long step() {
        return step;
    }

    /** One update of every parameter from its gradient; call with grad mode off. */
    public void update(Map<String, NDArray> parameters, Map<String, NDArray> grads, double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / bc1;
        double bc2Sqrt = Math.sqrt(bc2);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue();
                NDArray g = grads.get(name);
                if (weightDecay > 0 && !noDecay.contains(name)) {
                    p.muli(1 - lr * weightDecay);
                }
                NDArray mm = m.get(name);
                NDArray vv = v.get(name);
                mm.muli(beta1).addi(g.mul(1 - beta1));
                vv.muli(beta2).addi(g.square().muli(1 - beta2));
                NDArray denom = vv.sqrt().divi(bc2Sqrt).addi(eps);
                p.subi(mm.div(denom).muli(stepSize));
            }
        }
    }

    /** The moments by name ({@link #M} / {@link #V} + parameter name) and the step count, for a checkpoint. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put(M + k, a));
        v.forEach((k, a) -> out.put(V + k, a));
        return out;
    }

    /** Restores moments and step from a checkpoint; every owned parameter's moments must be present. */
    public void load(Map<String, float[]> values, long savedStep) {
        for (Map.Entry<String, NDArray> e : state().entrySet()) {
            float[] x = values.get(e.getKey());
            if (x == null || x.length != e.getValue().size()) {
                throw new IllegalArgumentException("optimizer state has no (or a wrongly sized) " + e.getKey());
            }
            e.getValue().set(x);
        }
        step = savedStep;
    }
}
