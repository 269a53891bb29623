package org.dplstm.training.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.Shape;

/** One direction of one LSTM layer through the engine's fused op (torch lstm / cuDNN). */
public final class EngineLstm {

    private EngineLstm() {}

    /**
     * Runs a forward-in-time LSTM from zero state over a time-major input (T, B, in) and returns
     * its hidden states (T, B, H). {@code forBackward} keeps what an autograd backward needs.
     * Gates are ordered (i, f, g, o) as in torch; either bias may be null (zero).
     */
    public static NDArray run(NDArray input, NDArray inputWeight, NDArray recurrentWeight, NDArray inputBias,
            NDArray recurrentBias, boolean forBackward) {
        if (inputBias == null && recurrentBias == null) {
            return runWithoutBias(input, inputWeight, recurrentWeight, forBackward);
        }
        long hidden = recurrentWeight.getShape().get(1);
        long batch = input.getShape().get(1);
        return runFrom(input, inputWeight, recurrentWeight, inputBias, recurrentBias,
                input.getManager().zeros(new Shape(batch, hidden), input.getDataType()), forBackward);
    }

    /**
     * As {@link #run} from the initial hidden state {@code initialHidden} (B, H), the cell state
     * zero (an encoder-decoder's decoder starts from the encoder's final hidden states); either
     * bias may be null (zero).
     */
    public static NDArray runFrom(NDArray input, NDArray inputWeight, NDArray recurrentWeight, NDArray inputBias,
            NDArray recurrentBias, NDArray initialHidden, boolean forBackward) {
        long hidden = recurrentWeight.getShape().get(1);
        long batch = input.getShape().get(1);
        NDArray state = input.getManager().zeros(new Shape(1, batch, hidden), input.getDataType());
        NDArray zeroBias = input.getManager().zeros(new Shape(recurrentWeight.getShape().get(0)), input.getDataType());
        NDArrayEx ex = input.getNDArrayInternal();
        NDList result = ex.lstm(
                input,
                new NDList(initialHidden.reshape(1, batch, hidden), state),
                new NDList(inputWeight, recurrentWeight, inputBias != null ? inputBias : zeroBias,
                        recurrentBias != null ? recurrentBias : zeroBias),
                true, 1, 0.0, forBackward, false, false);
        for (int i = 1; i < result.size(); i++) {
            result.get(i).close();
        }
        return result.get(0);
    }

    /** As {@link #run} with no biases (the input is already projected). */
    public static NDArray runWithoutBias(
            NDArray input, NDArray inputWeight, NDArray recurrentWeight, boolean forBackward) {
        long hidden = recurrentWeight.getShape().get(1);
        long batch = input.getShape().get(1);
        NDArray state = input.getManager().zeros(new Shape(1, batch, hidden), input.getDataType());
        NDArrayEx ex = input.getNDArrayInternal();
        NDList result = ex.lstm(
                input,
                new NDList(state, state),
                new NDList(inputWeight, recurrentWeight),
                false, 1, 0.0, forBackward, false, false);
        for (int i = 1; i < result.size(); i++) {
            result.get(i).close();
        }
        return result.get(0);
    }
}
