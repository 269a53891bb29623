package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDManager;
import org.dplstm.training.model.FrozenPart;

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

    /**
     * As {@link #clippedSum(NDManager, ExampleBatch, double)} with the {@code frozen} parameters
     * left out: they add nothing to any unit's norm and their sums are zero (ARCHITECTURE §2,
     * variants). A clipper that cannot freeze refuses every part but {@link FrozenPart#NONE}.
     */
    default ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm, FrozenPart frozen) {
        if (frozen != FrozenPart.NONE) {
            throw new IllegalArgumentException("freeze must be none for " + getClass().getSimpleName() + ", was "
                    + frozen.id());
        }
        return clippedSum(scope, batch, maxGradNorm);
    }

    /** The norm bound must be positive (+∞ clips nothing: the plain gradient sum). */
    static void checkNorm(double maxGradNorm) {
        if (!(maxGradNorm > 0)) {
            throw new IllegalArgumentException("max grad norm must be > 0, was " + maxGradNorm);
        }
    }
}
