package dev.tokenmill.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every training knob in one place (nanoGPT's style). The global batch per optimizer step is
 * {@code microBatch × accumulation × dp} sequences.
 */
public record TrainConfig(
        int steps,
        int microBatch,
        int accumulation,
        double lr,
        double minLr,
        int warmupSteps,
        double weightDecay,
        double beta1,
        double beta2,
        double eps,
        double gradClip,
        int evalEvery,
        int evalSamples,
        int checkpointEvery,
        int keepCheckpoints,
        long seed,
        int logEvery,
        boolean recompute,
        boolean fp16)
        implements java.io.Serializable {

    public static TrainConfig defaults() {
        return new TrainConfig(
                200, 8, 1, 3e-3, 3e-4, 20, 0.1, 0.9, 0.95, 1e-8, 1.0, 50, 32, 100, 2, 1234, 10, false, false);
    }

    public TrainConfig withSteps(int s) {
        return new TrainConfig(
                s,
                microBatch,
                accumulation,
                lr,
                minLr,
                warmupSteps,
                weightDecay,
                beta1,
                beta2,
                eps,
                gradClip,
                evalEvery,
                evalSamples,
                checkpointEvery,
                keepCheckpoints,
                seed,
                logEvery,
                recompute,
                fp16);
    }

    public TrainConfig withBatch(int micro, int accum) {
        return new TrainConfig(
                steps,
                micro,
                accum,
                lr,
                minLr,
                warmupSteps,
                weightDecay,
                beta1,
                beta2,
                eps,
                gradClip,
                evalEvery,
                evalSamples,
                checkpointEvery,
                keepCheckpoints,
                seed,
                logEvery,
                recompute,
                fp16);
    }

    public TrainConfig withSchedule(double peak, double min, int warmup) {
        return new TrainConfig(
                steps,
                microBatch,
                accumulation,
                peak,
                min,
                warmup,
                weightDecay,
                beta1,
                beta2,
                eps,
                gradClip,
                evalEvery,
                evalSamples,
                checkpointEvery,
                keepCheckpoints,
                seed,
                logEvery,
                recompute,
                fp16);
    }

    public TrainConfig withEval(int every, int samples) {
        return new TrainConfig(
                steps,
                microBatch,
                accumulation,
                lr,
                minLr,
                warmupSteps,
                weightDecay,
                beta1,
                beta2,
                eps,
                gradClip,
                every,
                samples,
                checkpointEvery,
                keepCheckpoints,
                seed,
                logEvery,
                recompute,
                fp16);
    }

    public TrainConfig withCheckpoints(int every, int keep) {
        return new TrainConfig(
                steps,
                microBatch,
                accumulation,
                lr,
                minLr,
                warmupSteps,
                weightDecay,
                beta1,
                beta2,
                eps,
                gradClip,
                evalEvery,
                evalSamples,
                every,
                keep,
                seed,
                logEvery,
                recompute,
                fp16);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(
                steps,
                microBatch,
                accumulation,
                lr,
                minLr,
                warmupSteps,
                weightDecay,
                beta1,
                beta2,
                eps,
                gradClip,
                evalEvery,
                evalSamples,
                checkpointEvery,
                keepCheckpoints,
                s,
                logEvery,
                recompute,
                fp16);
    }

    public TrainConfig withRecompute(boolean r) {
        return new TrainConfig(
                steps,
                microBatch,
                accumulation,
                lr,
                minLr,
                warmupSteps,
                weightDecay,
                beta1,
                beta2,
                eps,
                gradClip,
                evalEvery,
                evalSamples,
                checkpointEvery,
                keepCheckpoints,
                seed,
                logEvery,
                r,
                fp16);
    }

    /** fp16 parameters and activations, fp32 master weights in the optimizer, dynamic loss scaling (GPU training). */
    public TrainConfig withFp16(boolean half) {
        return new TrainConfig(
                steps,
                microBatch,
                accumulation,
                lr,
                minLr,
                warmupSteps,
                weightDecay,
                beta1,
                beta2,
                eps,
                gradClip,
                evalEvery,
                evalSamples,
                checkpointEvery,
                keepCheckpoints,
                seed,
                logEvery,
                recompute,
                half);
    }

    public TrainConfig validate() {
        if (steps <= 0 || microBatch <= 0 || accumulation <= 0) {
            throw new IllegalArgumentException("steps, micro_batch and grad_accum must be positive");
        }
        if (!(lr > 0) || minLr < 0 || minLr > lr) {
            throw new IllegalArgumentException("lr must be positive and min_lr between 0 and lr");
        }
        if (warmupSteps < 0
                || weightDecay < 0
                || gradClip < 0
                || evalEvery < 0
                || evalSamples < 0
                || checkpointEvery < 0
                || keepCheckpoints < 1
                || logEvery < 1) {
            throw new IllegalArgumentException(
                    "warmup, weight_decay, grad_clip, eval and checkpoint intervals must not be "
                            + "negative; keep_checkpoints and log_every at least 1");
        }
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(eps > 0)) {
            throw new IllegalArgumentException("betas must be in [0, 1) and eps positive");
        }
        return this;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("micro_batch", microBatch);
        m.put("grad_accum", accumulation);
        m.put("lr", lr);
        m.put("min_lr", minLr);
        m.put("warmup_steps", warmupSteps);
        m.put("weight_decay", weightDecay);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("eps", eps);
        m.put("grad_clip", gradClip);
        m.put("eval_every", evalEvery);
        m.put("eval_samples", evalSamples);
        m.put("checkpoint_every", checkpointEvery);
        m.put("keep_checkpoints", keepCheckpoints);
        m.put("seed", seed);
        m.put("log_every", logEvery);
        m.put("recompute", recompute);
        m.put("precision", fp16 ? "fp16" : "fp32");
        return m;
    }
}
