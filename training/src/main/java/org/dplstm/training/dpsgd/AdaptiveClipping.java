package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * The clip norm follows a target quantile γ of the per-unit gradient norms (Andrew et al. 2021,
 * "Differentially private learning with adaptive clipping"): after each step,
 * C ← C·exp(−η(b̃ − γ)) with b̃ = (Σ_i 1[‖g_i‖ ≤ C] + N(0, σ_b²)) / B, B the EXPECTED batch size
 * (never the realised one). The count is a second query on the same batch; the pair is one
 * Gaussian mechanism with noise multiplier σ = (σ_g⁻² + (2σ_b)⁻²)^(−1/2) (their Theorem 1: the
 * count's sensitivity is 1/2 once centred), so the run's σ is calibrated as usual and the
 * gradient gets σ_g = (σ⁻² − (2σ_b)⁻²)^(−1/2), slightly more than σ. Checkpointed as
 * {@value #STATE_KEY}.
 */
final class AdaptiveClipping {

    static final String STATE_KEY = "clip/norm";
    /** The paper's geometric learning rate η for the clip norm. */
    static final double CLIP_LEARNING_RATE = 0.2;
    /** σ_b = B / 20, the paper's choice: the count's noise is a small share of the budget. */
    static final double COUNT_NOISE_SHARE = 1.0 / 20;

    private final double quantile;
    private final double countNoiseMultiplier;
    private final double gradientNoiseMultiplier;
    private double clipNorm;

    /**
     * @param noiseMultiplier σ of the accounted mechanism (the plan's)
     * @param expectedBatchSize B (σ_b = B/20)
     */
    AdaptiveClipping(double quantile, double initialClipNorm, double noiseMultiplier, double expectedBatchSize) {
        this.quantile = quantile;
        this.clipNorm = initialClipNorm;
        this.countNoiseMultiplier = COUNT_NOISE_SHARE * expectedBatchSize;
        this.gradientNoiseMultiplier = gradientNoiseMultiplier(noiseMultiplier, countNoiseMultiplier);
    }

    /**
     * σ_g such that the gradient (σ_g) and the centred count (σ_b) together are the Gaussian
     * mechanism of noise multiplier σ; bad input when the count's noise is too small for σ.
     */
    static double gradientNoiseMultiplier(double sigma, double countSigma) {
        double rest = 1 / (sigma * sigma) - 1 / (4 * countSigma * countSigma);
        if (!(rest > 0)) {
            throw new IllegalArgumentException("adaptive clipping needs a count noise 2*sigma_b = " + 2 * countSigma
                    + " above the noise multiplier " + sigma + ": use a larger expected batch size or fixed clipping");
        }
        return 1 / Math.sqrt(rest);
    }

    double clipNorm() {
        return clipNorm;
    }

    double gradientNoiseMultiplier() {
        return gradientNoiseMultiplier;
    }

    /** The step's noised count (noise N(0, σ_b²) from the run's secure source), then the geometric update. */
    void update(NDManager scope, NDArray count, GradientNoise noise, double expectedBatchSize) {
        double noisy = noise.addTo(scope, count.reshape(1), countNoiseMultiplier).toType(
                ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble(0);
        double below = noisy / expectedBatchSize;
        clipNorm *= Math.exp(-CLIP_LEARNING_RATE * (below - quantile));
    }

    void putState(NDManager manager, Map<String, NDArray> state) {
        state.put(STATE_KEY, manager.create(new double[] {clipNorm}));
    }

    void restore(Map<String, NDArray> state) {
        NDArray saved = state.get(STATE_KEY);
        if (saved != null) {
            clipNorm = saved.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble(0);
        }
    }
}
