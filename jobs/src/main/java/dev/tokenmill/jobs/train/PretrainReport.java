package dev.tokenmill.jobs.train;

/** The one-line summary of a pretrain call. */
public final class PretrainReport {
    private PretrainReport() {}

    public static String line(Pretrain.Outcome r, double seconds) {
        if (r.upToDate()) {
            return "up to date (step " + r.toStep() + ", " + r.runDir() + "/checkpoints" + ")";
        }
        String loss = r.finalLoss() == null ? "no steps trained" : String.format("loss %.4f", r.finalLoss());
        String heldOut = Double.isNaN(r.evalLoss())
                ? "no held-out evaluation (eval_every 0 or no held-out samples)"
                : String.format("held-out %.4f (perplexity %.1f)", r.evalLoss(), Math.exp(r.evalLoss()));
        return String.format(
                "%,d parameters, steps %d → %d, %s, %s, %,.0f tokens/s; checkpoints in %s, loss curve %s (%.1f s)",
                r.parameters(),
                r.fromStep(),
                r.toStep(),
                loss,
                heldOut,
                r.tokensPerSecond(),
                r.runDir() + "/checkpoints",
                r.runDir() + "/loss.png",
                seconds);
    }
}
