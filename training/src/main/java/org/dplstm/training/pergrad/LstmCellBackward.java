package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * δ = ∂L/∂(gate pre-activations) of one LSTM direction, by backpropagation through time written
 * with engine ops. The forward ran in the engine's fused op with the real weights (fast); the
 * gates are recomputed from its hidden states in two batched matmuls (u + h_prev·W_hhᵀ), the
 * cell states by the elementwise recurrence c_t = f_t⊙c_{t−1} + i_t⊙g_t, and only the
 * recurrence δ_t·W_hh runs step by step. On a CPU this beats DESIGN §3's identity-input
 * variant, whose extra (4H×4H) matmul per token dominates the step (see the bench command).
 * Intermediates are closed as soon as they are used: fresh engine memory is what costs on a CPU.
 */
final class LstmCellBackward {

    /** δ (T, B, 4H) and the LSTM's shifted outputs h_prev (T, B, H), both in time order. */
    record Result(NDArray delta, NDArray previousHidden) {}

    private LstmCellBackward() {}

    /**
     * @param input the direction's input (T, B, in)
     * @param output its hidden states (T, B, H) from the forward pass
     * @param outputGradient ∂L/∂h_t from above (T, B, H), excluding the recurrence
     */
    static Result run(
            NDManager work,
            NDArray input,
            NDArray output,
            NDArray inputWeight,
            NDArray recurrentWeight,
            NDArray bias,
            NDArray outputGradient) {
        Shape shape = output.getShape();
        int steps = Math.toIntExact(shape.get(0));
        long batch = shape.get(1);
        long hidden = shape.get(2);
        NDArray previousHidden = work.zeros(new Shape(1, batch, hidden), output.getDataType())
                .concat(output.get(new NDIndex(":-1")), 0);

        NDArray gates = input.matMul(inputWeight.transpose());
        try (NDArray recurrent = previousHidden.matMul(recurrentWeight.transpose())) {
            gates.addi(recurrent);
        }
        gates.addi(bias);
        NDArray cellInput = chunk(gates, 2, hidden).tanh();
        NDArray sigmoids = gates.getNDArrayInternal().sigmoid();
        gates.close();
        NDArray inGate = chunk(sigmoids, 0, hidden);
        NDArray forgetGate = chunk(sigmoids, 1, hidden);
        NDArray outGate = chunk(sigmoids, 3, hidden);

        NDArray cell = inGate.mul(cellInput);
        NDList cells = cell.split(steps, 0);
        NDList forgets = forgetGate.split(steps, 0);
        for (int t = 1; t < steps; t++) {
            try (NDArray carried = forgets.get(t).mul(cells.get(t - 1))) {
                cells.get(t).addi(carried);
            }
        }
        NDArray tanhCell = cell.tanh();

        // dc_t = dh_t ⊙ A_t + dc_{t+1} ⊙ f_{t+1}, with A = o ⊙ (1 − tanh²c)
        NDArray cellFactor = tanhCell.square().negi().addi(1).muli(outGate);
        // δ = [dc ⊙ g⊙i(1−i), dc ⊙ c_{t−1}⊙f(1−f), dc ⊙ i⊙(1−g²), dh ⊙ tanh(c)⊙o(1−o)]
        NDArray inFactor = inGate.neg().addi(1).muli(inGate).muli(cellInput);
        NDArray forgetFactor = forgetGate.neg().addi(1).muli(forgetGate);
        if (steps > 1) {
            try (NDArray later = forgetFactor.get(new NDIndex("1:"));
                    NDArray earlierCells = cell.get(new NDIndex(":-1"))) {
                later.muli(earlierCells);
            }
        }
        try (NDArray first = forgetFactor.get(new NDIndex("0:1"))) {
            first.muli(0); // c_{−1} = 0
        }
        NDArray cellInputFactor = cellInput.square().negi().addi(1).muli(inGate);
        NDArray outFactor = outGate.neg().addi(1).muli(outGate).muli(tanhCell);
        NDArray delta = NDArrays.concat(new NDList(inFactor, forgetFactor, cellInputFactor, outFactor), 2);
        inFactor.close();
        forgetFactor.close();
        cellInputFactor.close();
        outFactor.close();
        tanhCell.close();
        cellInput.close();
        cells.close();
        cell.close();

        NDList cellParts = delta.get(new NDIndex(":, :, :{}", 3 * hidden))
                .reshape(steps, batch, 3, hidden)
                .split(steps, 0);
        NDList outParts = chunk(delta, 3, hidden).split(steps, 0);
        NDList deltaSteps = delta.split(steps, 0);
        NDList cellFactors = cellFactor.split(steps, 0);
        NDList outputGradients = outputGradient.split(steps, 0);
        NDArray recurrentGradient = null;
        NDArray nextCellGradient = null;
        for (int t = steps - 1; t >= 0; t--) {
            NDArray hiddenGradient = recurrentGradient == null
                    ? outputGradients.get(t)
                    : recurrentGradient.addi(outputGradients.get(t));
            NDArray cellGradient = hiddenGradient.mul(cellFactors.get(t));
            if (nextCellGradient != null) {
                try (NDArray carried = nextCellGradient.mul(forgets.get(t + 1))) {
                    cellGradient.addi(carried);
                }
                nextCellGradient.close();
            }
            try (NDArray broadcast = cellGradient.expandDims(2)) {
                cellParts.get(t).muli(broadcast);
            }
            outParts.get(t).muli(hiddenGradient);
            NDArray nextRecurrent = t > 0 ? deltaSteps.get(t).matMul(recurrentWeight) : null;
            if (recurrentGradient != null) {
                recurrentGradient.close();
            }
            recurrentGradient = nextRecurrent;
            nextCellGradient = cellGradient;
        }
        nextCellGradient.close();
        cellParts.close();
        outParts.close();
        deltaSteps.close();
        cellFactors.close();
        outputGradients.close();
        forgets.close();
        cellFactor.close();
        sigmoids.close();
        return new Result(delta, previousHidden);
    }

    /** Gate {@code index} (i, f, g, o) of a (T, B, 4H) array, as a view. */
    private static NDArray chunk(NDArray gates, int index, long hidden) {
        return gates.get(new NDIndex(":, :, {}:{}", index * hidden, (index + 1) * hidden));
    }
}
