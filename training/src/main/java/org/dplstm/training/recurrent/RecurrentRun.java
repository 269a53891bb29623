package org.dplstm.training.recurrent;

import ai.djl.ndarray.NDArray;

/** One layer and direction of a recurrent block, run forward by hand, its backward to come. */
public interface RecurrentRun {

    /** Hidden states (T, B, H), time-major in run order. */
    NDArray outputs();

    /** h_{t−1} (T, B, H), zero at t = 0. */
    NDArray previousHidden();

    /** δ of both sides given ∂L/∂h_t from above (T, B, H); call once. */
    Deltas backward(NDArray outputGradient);

    /**
     * δ = ∂L/∂(gate pre-activations), (T, B, G·H): {@code input} for the input side (W_ih, b_ih,
     * ∂L/∂x), {@code hidden} for the recurrent side (W_hh, b_hh); the same array for an LSTM.
     */
    record Deltas(NDArray input, NDArray hidden) {}
}
