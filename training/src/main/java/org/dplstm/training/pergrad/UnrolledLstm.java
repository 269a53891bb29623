package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * One LSTM direction run step by step with engine ops, keeping what gives δ = ∂L/∂(gate
 * pre-activations) later without a second forward. The input projection u = x·W_ihᵀ + b is one
 * matmul over all T·B rows (DESIGN §3.1); only h_{t−1}·W_hhᵀ and the cell run per step, as in the
 * engine's own CPU kernel. Per step it stores the local derivatives of the cell (small arrays
 * that stay in cache), so the backward is the bare recurrence
 * dc_t = dh_t⊙A_t + dc_{t+1}⊙f_{t+1}, δ_t = [dc⊙P_i, dc⊙P_f, dc⊙P_g, dh⊙P_o], dh_{t−1} += δ_t·W_hh.
 *
 * <p>Why not the engine's fused LSTM with identity input weights (DESIGN §3.2)? On a CPU its
 * extra (4H×4H) matmul per token, forward and backward, costs twice the plain step's matmuls
 * (measured 3.5x the plain LSTM step at B=64, T=32, H=128); this runner does the plain step's
 * matmuls and no more.
 */
final class UnrolledLstm {

    private final long hidden;
    private final NDArray recurrentWeight;
    private NDArray outputs;
    private NDArray previousHidden;
    private NDArray derivatives; // P (T, B, 4H), becomes δ in place
    private final NDList cellFactors = new NDList(); // A_t (1, B, H)
    private final NDList forgetGates = new NDList(); // f_t (1, B, H)
    private final NDList keep = new NDList();

    private UnrolledLstm(NDArray recurrentWeight) {
        this.recurrentWeight = recurrentWeight;
        this.hidden = recurrentWeight.getShape().get(1);
    }

    /** Runs the direction forward from zero state over a time-major input (T, B, in). */
    static UnrolledLstm forward(
            NDManager work, NDArray input, NDArray inputWeight, NDArray recurrentWeight, NDArray bias) {
        UnrolledLstm lstm = new UnrolledLstm(recurrentWeight);
        lstm.run(work, input, inputWeight, bias);
        return lstm;
    }

    /** Hidden states (T, B, H). */
    NDArray outputs() {
        return outputs;
    }

    /** h_{t−1} (T, B, H), zero at t = 0. */
    NDArray previousHidden() {
        return previousHidden;
    }

    private void run(NDManager work, NDArray input, NDArray inputWeight, NDArray bias) {
        // Per-step engine calls cost more than the arithmetic on (B, H) arrays: views come from
        // one split, constants are arrays made once (a scalar operand is a new engine array),
        // every temporary is closed at once so its memory is reused while still in cache, and
        // tanh is 2σ(2x) − 1 (the engine's sigmoid is vectorised, its tanh several times slower):
        // the cell-input pre-activations are doubled once, in u and in W_hh's g rows, so one
        // sigmoid over all four gates serves them.
        int steps = Math.toIntExact(input.getShape().get(0));
        long batch = input.getShape().get(1);
        NDArray ones = work.ones(new Shape(1, batch, hidden), input.getDataType());
        NDArray allOnes = work.ones(new Shape(1, batch, 4 * hidden), input.getDataType());
        NDArray zeros = work.zeros(new Shape(1, batch, hidden), input.getDataType());
        NDArray doubledRecurrent = recurrentWeight.duplicate();
        try (NDArray rows = doubledRecurrent.get(new NDIndex("{}:{}", 2 * hidden, 3 * hidden))) {
            rows.addi(rows);
        }
        NDArray recurrentTransposed = doubledRecurrent.transpose();
        NDArray preActivations = input.matMul(inputWeight.transpose()).addi(bias);
        try (NDArray cellInputs = gate(preActivations, 2)) {
            cellInputs.addi(cellInputs);
        }
        NDList perStep = preActivations.split(steps, 0);
        NDList hiddens = new NDList();
        NDList factors = new NDList();
        NDArray hiddenState = null;
        NDArray cellState = zeros;
        for (int t = 0; t < steps; t++) {
            NDArray z = perStep.get(t);
            if (hiddenState != null) {
                try (NDArray recurrent = hiddenState.matMul(recurrentTransposed)) {
                    z.addi(recurrent);
                }
            }
            NDArray activations = z.getNDArrayInternal().sigmoid();
            NDList gates = activations.split(4, 2);
            NDArray inGate = gates.get(0);
            NDArray forgetGate = gates.get(1);
            NDArray cellInput = gates.get(2).addi(gates.get(2)).subi(ones); // 2σ(2z) − 1 = tanh z
            NDArray outGate = gates.get(3);
            NDArray cell = inGate.mul(cellInput);
            try (NDArray carried = forgetGate.mul(cellState)) {
                cell.addi(carried);
            }
            NDArray tanhCell = tanh(cell, ones);
            hiddenState = outGate.mul(tanhCell);
            hiddens.add(hiddenState);

            // local derivatives: A = o(1 − tanh²c); P = [g·σ'(i), c_{t−1}·σ'(f), i(1 − g²), tanh c·σ'(o)]
            NDArray cellFactor;
            try (NDArray squared = tanhCell.square()) {
                cellFactor = ones.sub(squared).muli(outGate);
            }
            cellFactors.add(cellFactor);
            NDArray slopes = allOnes.sub(activations).muli(activations);
            try (NDList slope = slopes.split(4, 2);
                    NDArray squared = cellInput.square()) {
                slope.get(0).muli(cellInput);
                slope.get(1).muli(cellState);
                slope.get(2).muli(zeros).addi(inGate).subi(squared.muli(inGate));
                slope.get(3).muli(tanhCell);
            }
            factors.add(slopes);
            tanhCell.close();
            inGate.close();
            cellInput.close();
            outGate.close();
            if (cellState != zeros) {
                cellState.close();
            }
            cellState = cell;
            forgetGates.add(forgetGate);
            keep.add(activations);
        }
        cellState.close();
        perStep.close();
        preActivations.close();
        doubledRecurrent.close();
        outputs = NDArrays.concat(hiddens, 0);
        hiddens.close();
        derivatives = NDArrays.concat(factors, 0);
        factors.close();
        previousHidden = zeros.concat(outputs.get(new NDIndex(":-1")), 0);
    }

    /** tanh x = 2σ(2x) − 1, through the engine's vectorised sigmoid. */
    private static NDArray tanh(NDArray x, NDArray ones) {
        NDArray result;
        try (NDArray doubled = x.add(x)) {
            result = doubled.getNDArrayInternal().sigmoid();
        }
        return result.addi(result).subi(ones);
    }

    /**
     * δ (T, B, 4H) given ∂L/∂h_t from above (T, B, H), excluding the recurrence. Consumes the
     * stored derivatives (δ is written over them); call once.
     */
    NDArray backward(NDArray outputGradient) {
        int steps = Math.toIntExact(outputGradient.getShape().get(0));
        long batch = outputGradient.getShape().get(1);
        NDArray delta = derivatives;
        derivatives = null;
        NDList cellParts = delta.get(new NDIndex(":, :, :{}", 3 * hidden))
                .reshape(steps, batch, 3, hidden)
                .split(steps, 0);
        NDList outParts = gate(delta, 3).split(steps, 0);
        NDList deltaSteps = delta.split(steps, 0);
        NDList outputGradients = outputGradient.split(steps, 0);
        NDArray recurrentGradient = null;
        NDArray nextCellGradient = null;
        for (int t = steps - 1; t >= 0; t--) {
            NDArray hiddenGradient = recurrentGradient == null
                    ? outputGradients.get(t)
                    : recurrentGradient.addi(outputGradients.get(t));
            NDArray cellGradient = hiddenGradient.mul(cellFactors.get(t));
            if (nextCellGradient != null) {
                try (NDArray carried = nextCellGradient.mul(forgetGates.get(t + 1))) {
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
        outputGradients.close();
        cellFactors.close();
        forgetGates.close();
        keep.close();
        return delta;
    }

    /** Gate {@code index} (i, f, g, o) of a (…, 4H) array, as a view. */
    private NDArray gate(NDArray gates, int index) {
        return gates.get(new NDIndex("..., {}:{}", index * hidden, (index + 1) * hidden));
    }
}
