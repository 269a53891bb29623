package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDManager;

/**
 * The clipping strategy of the DP mechanism: for a batch, the sum over its clipping units of each
 * unit's gradient of its summed loss, clipped to L2 norm C over ALL trainable parameters together
 * (ARCHITECTURE §2, step 2). Results live in {@code scope}.
 */
public interface Clipper {

    /** The parameters the sums are for, in order. */
    ParameterSet parameters();

    /** Σ_u min(1, C/‖g_u‖) g_u per parameter, and each unit's unclipped norm ‖g_u‖ in order of first appearance. */
    ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm);

    /** The norm bound must be positive (+∞ clips nothing: the plain gradient sum). */
    static void checkNorm(double maxGradNorm) {
        if (!(maxGradNorm > 0)) {
            throw new IllegalArgumentException("max grad norm must be > 0, was " + maxGradNorm);
        }
    }
}
