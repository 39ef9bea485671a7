package dev.tokenmill.train.scaling;

/**
 * Chinchilla's parametric loss L(N, D) = E + A / N^α + B / D^β (Hoffmann et al. 2022, eq. 2) for N parameters and D
 * training tokens, and the compute-optimal split of a FLOP budget C ≈ 6·N·D that follows from it (their eq. 4):
 * N_opt = G·(C/6)^(β/(α+β)), D_opt = G⁻¹·(C/6)^(α/(α+β)), G = (αA / (βB))^(1/(α+β)).
 */
public record ScalingLaw(double e, double a, double b, double alpha, double beta) {

    public double loss(double parameters, double tokens) {
        return e + a / Math.pow(parameters, alpha) + b / Math.pow(tokens, beta);
    }

    /** The compute-optimal parameters and tokens for {@code flops} (C = 6·N·D). */
    public double[] optimal(double flops) {
        double g = Math.pow(alpha * a / (beta * b), 1 / (alpha + beta));
        double n = g * Math.pow(flops / 6, beta / (alpha + beta));
        double d = Math.pow(flops / 6, alpha / (alpha + beta)) / g;
        return new double[] {n, d};
    }
}
