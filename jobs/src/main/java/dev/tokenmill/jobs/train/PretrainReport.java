package dev.tokenmill.jobs.train;

/** The one-line summary of a pretrain call. */
public final class PretrainReport {
    private PretrainReport() {
    }

    public static String line(Pretrain.Outcome r, double seconds) {
        if (r.upToDate()) {
            return "up to date (step " + r.toStep() + ", " + r.runDir().resolve("checkpoints") + ")";
        }
        return String.format("%,d parameters, steps %d → %d, loss %.4f, held-out %.4f (perplexity %.1f), %,.0f tokens/s; "
                + "checkpoints in %s, loss curve %s (%.1f s)", r.parameters(), r.fromStep(), r.toStep(),
            r.finalLoss() == null ? Double.NaN : r.finalLoss(), r.evalLoss(), Math.exp(r.evalLoss()), r.tokensPerSecond(),
            r.runDir().resolve("checkpoints"), r.runDir().resolve("loss.png"), seconds);
    }
}
