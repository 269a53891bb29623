package org.dplstm.training.mechanism.ghost;

import ai.djl.ndarray.NDArray;

/**
 * A layer that computes its forward without autograd and its backward by hand (a recurrent layer's
 * bare backward recurrence, ARCHITECTURE §3.2): the pass cuts the autograd graph at its input and
 * output and calls {@link #backward} between the backward passes of the graph above and below.
 */
public interface ManualStage {

    /** The output for a constant input (no autograd). */
    NDArray forward(NDArray input);

    /**
     * ∂L/∂input given ∂L/∂output; after this the stage's recorded uses are complete.
     *
     * @param inputGradientNeeded false when nothing below the stage needs ∂L/∂input (may return null)
     */
    NDArray backward(NDArray outputGradient, boolean inputGradientNeeded);
}
