package org.dplstm.training.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/** One direction of one GRU layer through the engine's fused op (torch gru / cuDNN), gates (r, z, n). */
public final class EngineGru {

    private EngineGru() {}

    /**
     * Hidden states (T, B, H) of a forward-in-time GRU from zero state over a time-major input
     * (T, B, in). Biases may be null (zero). {@code forBackward} keeps what an autograd backward
     * needs (the engine's "train" flag; with one layer it enables no dropout).
     */
    public static NDArray run(NDArray input, NDArray inputWeight, NDArray recurrentWeight, NDArray inputBias,
            NDArray recurrentBias, boolean forBackward) {
        long hidden = recurrentWeight.getShape().get(1);
        long batch = input.getShape().get(1);
        NDArray state = input.getManager().zeros(new Shape(1, batch, hidden), input.getDataType());
        boolean biases = inputBias != null || recurrentBias != null;
        NDList parameters = new NDList(inputWeight, recurrentWeight);
        if (biases) {
            long gates = recurrentWeight.getShape().get(0);
            NDArray zero = input.getManager().zeros(new Shape(gates), input.getDataType());
            parameters.add(inputBias != null ? inputBias : zero);
            parameters.add(recurrentBias != null ? recurrentBias : zero);
        }
        NDList result = input.getNDArrayInternal().gru(input, state, parameters, biases, 1, 0.0, forBackward, false, false);
        for (int i = 1; i < result.size(); i++) {
            result.get(i).close();
        }
        return result.get(0);
    }
}
