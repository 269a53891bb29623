package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import org.dplstm.training.recurrent.CellWeights;

/**
 * Runs one direction of one recurrent layer (LSTM or GRU) over a time-major input (T, B, in) from
 * zero state and returns its hidden states (T, B, H). The plain model uses the engine's fused op;
 * the fused per-example gradients use a runner that also keeps what their backward needs.
 */
@FunctionalInterface
public interface LstmDirectionRunner {

    NDArray run(int layer, int direction, NDArray input, CellWeights weights);
}
