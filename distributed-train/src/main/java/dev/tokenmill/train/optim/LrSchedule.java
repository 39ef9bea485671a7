package dev.tokenmill.train.optim;

/** Linear warmup to {@code peak}, then cosine decay to {@code min} at {@code totalSteps} (nanoGPT's get_lr). */
public record LrSchedule(double peak, double min, long warmupSteps, long totalSteps) {

    /** The rate for optimizer step {@code step} (0-based). */
    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return min;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return min + 0.5 * (1 + Math.cos(Math.PI * progress)) * (peak - min);
    }
}
