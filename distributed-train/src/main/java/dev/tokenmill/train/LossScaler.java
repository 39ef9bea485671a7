package dev.tokenmill.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dynamic loss scaling for fp16 runs (as in Micikevicius et al. 2018 and torch.cuda.amp.GradScaler): the loss
 * gradient is multiplied by the scale; a step whose gradients overflow is skipped and halves it; every
 * {@link #GROWTH_INTERVAL} good steps double it, up to {@link #MAX}. An fp32 run has the constant scale 1.
 */
public final class LossScaler {
    /** The scaled gradient seed must stay a finite fp16 (≤ 65504). */
    public static final double MAX = 32768;

    public static final int GROWTH_INTERVAL = 200;

    private final boolean dynamic;
    private double scale;
    private long goodSteps;
    private long skippedSteps;

    public LossScaler(boolean dynamic) {
        this.dynamic = dynamic;
        this.scale = dynamic ? MAX : 1;
    }

    public double scale() {
        return scale;
    }

    public long skippedSteps() {
        return skippedSteps;
    }

    /** Tests: start from another scale (to force overflows). */
    void setScale(double s) {
        scale = s;
    }

    /** After a step's gradients are known: true when the update must be skipped (an overflow). */
    public boolean skip(boolean overflow) {
        if (!dynamic) {
            return false;
        }
        if (overflow) {
            scale = Math.max(1, scale / 2);
            goodSteps = 0;
            skippedSteps++;
            return true;
        }
        if (++goodSteps % GROWTH_INTERVAL == 0 && scale < MAX) {
            scale *= 2;
        }
        return false;
    }

    /** What a checkpoint records. */
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss_scale", scale);
        m.put("loss_scale_good_steps", goodSteps);
        m.put("skipped_steps", skippedSteps);
        return m;
    }

    /** Continues from a checkpoint's state (fp16 runs; an fp32 run keeps scale 1). */
    public void restore(Map<String, Object> state) {
        if (!dynamic) {
            return;
        }
        scale = state.get("loss_scale") instanceof Number n ? n.doubleValue() : MAX;
        goodSteps = state.get("loss_scale_good_steps") instanceof Number n ? n.longValue() : 0;
        skippedSteps = state.get("skipped_steps") instanceof Number n ? n.longValue() : 0;
    }
}
