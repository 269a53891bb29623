package org.dplstm.training.recurrent;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * One layer's and direction's arrays as a recurrent cell reads them: W_ih (G·H, in), W_hh (G·H, H)
 * and the biases b_ih, b_hh (G·H), either of which may be null (zero), G the cell's gate count.
 * An LSTM only ever adds its two biases, so the project's LSTM keeps one (as {@code inputBias}).
 */
public record CellWeights(NDArray inputWeight, NDArray recurrentWeight, NDArray inputBias, NDArray recurrentBias) {

    public CellWeights {
        Objects.requireNonNull(inputWeight, "inputWeight");
        Objects.requireNonNull(recurrentWeight, "recurrentWeight");
    }
}
