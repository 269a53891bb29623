package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

/**
 * One step of the engine LSTM's cell for R rows, for decoding token by token: gates (i, f, g, o) =
 * x·W_ihᵀ + h·W_hhᵀ + b, c ← σ(f)c + σ(i)tanh(g), h ← σ(o)tanh(c).
 */
public final class LstmCell {

    private LstmCell() {}

    /**
     * The new {h, c} (R, H) from input {@code input} (R, in) and state {@code hidden}, {@code cell};
     * {@code weights} holds W_ih, W_hh and the bias at {@code index}. Arrays belong to {@code scope}.
     */
    public static NDArray[] step(NDManager scope, NDArray input, NDArray hidden, NDArray cell, NDList weights,
            int index) {
        NDArray gates = input.matMul(transposed(weights.get(index), scope))
                .add(hidden.matMul(transposed(weights.get(index + 1), scope)))
                .add(weights.get(index + 2));
        NDList parts = gates.split(4, 1);
        NDArray nextCell = Activation.sigmoid(parts.get(1)).mul(cell)
                .add(Activation.sigmoid(parts.get(0)).mul(parts.get(2).tanh()));
        NDArray nextHidden = Activation.sigmoid(parts.get(3)).mul(nextCell.tanh());
        return new NDArray[] {nextHidden, nextCell};
    }

    /** A weight's transpose in {@code scope} (a view, but owned by the parameters' manager unless moved). */
    private static NDArray transposed(NDArray weight, NDManager scope) {
        NDArray view = weight.transpose();
        view.attach(scope);
        return view;
    }
}
