package org.dplstm.training.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * One LSTM direction run step by step with engine ops, keeping what gives δ = ∂L/∂(gate
 * pre-activations) later without a second forward. The input projection u = x·W_ihᵀ + b is one
 * matmul over all T·B rows (ARCHITECTURE §3.1); only h_{t−1}·W_hhᵀ and the cell run per step, as in the
 * engine's own CPU kernel. The cell's local derivatives A = o(1 − tanh²c) and
 * P = [g·σ'(i), c_{t−1}·σ'(f), i(1 − g²), tanh c·σ'(o)] are then computed over all steps at once,
 * so the backward is the bare recurrence dc_t = dh_t⊙A_t + dc_{t+1}⊙f_{t+1},
 * δ_t = [dc⊙P_i, dc⊙P_f, dc⊙P_g, dh⊙P_o], dh_{t−1} += δ_t·W_hh.
 *
 * <p>Why not the engine's fused LSTM with identity input weights (ARCHITECTURE §3.2, {@link
 * GateGradientMethod#ENGINE_IDENTITY})? On a CPU its extra (4H×4H) matmul per token, forward and
 * backward, costs about twice the plain step's matmuls (the bench command reports both methods);
 * this runner does the plain step's matmuls and no more.
 */
public final class UnrolledLstm {

    private final long hidden;
    private final NDArray recurrentWeight;
    private NDArray outputs;
    private NDArray previousHidden;
    private NDArray derivatives; // P (T, B, 4H), becomes δ in place
    private NDArray activations; // (T, B, 4H): i, f, tanh g, o
    private NDArray forgetGate; // view (T, B, H)
    private NDArray cellFactor; // A (T, B, H)
    private NDArray initialHidden; // h_{-1} (1, B, H), or null: zero
    private NDArray initialHiddenGradient; // ∂L/∂h_{-1} (B, H) after the backward

    private UnrolledLstm(NDArray recurrentWeight) {
        this.recurrentWeight = recurrentWeight;
        this.hidden = recurrentWeight.getShape().get(1);
    }

    /** Runs the direction forward from zero state over a time-major input (T, B, in). */
    public static UnrolledLstm forward(
            NDManager work, NDArray input, NDArray inputWeight, NDArray recurrentWeight, NDArray bias) {
        return forwardFrom(work, input, inputWeight, recurrentWeight, bias, null);
    }

    /**
     * As {@link #forward} from the initial hidden state {@code initialHidden} (B, H), the cell
     * state zero (an encoder-decoder's decoder); null means zero. It is h_prev at t = 0, so W_hh's
     * ghost norm sees it, and {@link #initialHiddenGradient()} gives ∂L/∂h_{−1} = δ_0·W_hh.
     */
    public static UnrolledLstm forwardFrom(NDManager work, NDArray input, NDArray inputWeight, NDArray recurrentWeight,
            NDArray bias, NDArray initialHidden) {
        UnrolledLstm lstm = new UnrolledLstm(recurrentWeight);
        if (initialHidden != null) {
            lstm.initialHidden = initialHidden.reshape(1, initialHidden.getShape().get(0), lstm.hidden);
        }
        lstm.run(work, input, inputWeight, bias);
        return lstm;
    }

    /** Hidden states (T, B, H). */
    public NDArray outputs() {
        return outputs;
    }

    /** h_{t−1} (T, B, H), the initial state (zero unless given) at t = 0. */
    public NDArray previousHidden() {
        return previousHidden;
    }

    private void run(NDManager work, NDArray input, NDArray inputWeight, NDArray bias) {
        // Per-step engine calls cost more than the arithmetic on (B, H) arrays, so the loop does
        // only the recurrence and the local derivatives are computed afterwards over all steps
        // at once. The cell-input pre-activations are doubled (in u and in W_hh's g rows) so one
        // sigmoid over the four gates serves them too: tanh z = 2σ(2z) − 1.
        int steps = Math.toIntExact(input.getShape().get(0));
        long batch = input.getShape().get(1);
        NDArray ones = work.ones(new Shape(1, batch, hidden), input.getDataType());
        NDArray zeros = work.zeros(new Shape(1, batch, hidden), input.getDataType());
        NDArray doubledRecurrent = recurrentWeight.duplicate();
        doubledRecurrent.attach(work); // results of ops on a parameter belong to the parameters' manager
        try (NDArray rows = doubledRecurrent.get(new NDIndex("{}:{}", 2 * hidden, 3 * hidden))) {
            rows.addi(rows);
        }
        NDArray recurrentTransposed = doubledRecurrent.transpose();
        NDArray inputWeightTransposed = inputWeight.transpose();
        inputWeightTransposed.attach(work);
        NDArray preActivations = input.matMul(inputWeightTransposed).addi(bias);
        try (NDArray cellInputs = gate(preActivations, 2)) {
            cellInputs.addi(cellInputs);
        }
        NDList perStep = preActivations.split(steps, 0);
        NDList activationSteps = new NDList();
        NDList cellSteps = new NDList();
        NDList tanhCellSteps = new NDList();
        NDList hiddens = new NDList();
        NDArray hiddenState = initialHidden;
        NDArray cellState = zeros;
        for (int t = 0; t < steps; t++) {
            NDArray z = perStep.get(t);
            if (hiddenState != null) {
                try (NDArray recurrent = hiddenState.matMul(recurrentTransposed)) {
                    z.addi(recurrent);
                }
            }
            NDArray activations = z.getNDArrayInternal().sigmoid();
            // views of kept arrays are not closed one by one (an engine call each); the step's
            // manager frees them
            NDList gates = activations.split(4, 2);
            NDArray cellInput = gates.get(2).addi(gates.get(2)).subi(ones); // 2σ(2z) − 1 = tanh z
            NDArray cell = gates.get(0).mul(cellInput);
            try (NDArray carried = gates.get(1).mul(cellState)) {
                cell.addi(carried);
            }
            NDArray tanhCell = cell.tanh();
            hiddenState = gates.get(3).mul(tanhCell);
            activationSteps.add(activations);
            cellSteps.add(cell);
            tanhCellSteps.add(tanhCell);
            hiddens.add(hiddenState);
            cellState = cell;
        }
        perStep.close();
        preActivations.close();
        doubledRecurrent.close();
        outputs = concatClosing(hiddens);
        activations = concatClosing(activationSteps); // (i, f, tanh g, o)
        NDArray cells = concatClosing(cellSteps);
        NDArray tanhCells = concatClosing(tanhCellSteps);
        NDList gates = activations.split(4, 2);
        NDArray inGate = gates.get(0);
        NDArray cellInput = gates.get(2);
        NDArray outGate = gates.get(3);
        forgetGate = gates.get(1);

        // local derivatives: A = o(1 − tanh²c); P = [g·σ'(i), c_{t−1}·σ'(f), i(1 − g²), tanh c·σ'(o)]
        cellFactor = tanhCells.square().negi().addi(1).muli(outGate);
        derivatives = activations.neg().addi(1).muli(activations); // σ' = σ(1 − σ) in every slot
        NDList parts = derivatives.split(4, 2);
        parts.get(0).muli(cellInput);
        if (steps > 1) {
            try (NDArray later = parts.get(1).get(new NDIndex("1:"));
                    NDArray earlierCells = cells.get(new NDIndex(":-1"))) {
                later.muli(earlierCells);
            }
        }
        try (NDArray first = parts.get(1).get(new NDIndex("0:1"))) {
            first.muli(0); // c_{−1} = 0
        }
        try (NDArray squared = cellInput.square()) {
            parts.get(2).muli(0).addi(inGate).subi(squared.muli(inGate));
        }
        parts.get(3).muli(tanhCells);
        cells.close();
        tanhCells.close();
        previousHidden = (initialHidden != null ? initialHidden : zeros).concat(outputs.get(new NDIndex(":-1")), 0);
    }

    private static NDArray concatClosing(NDList steps) {
        NDArray all = NDArrays.concat(steps, 0);
        steps.close();
        return all;
    }

    /**
     * δ (T, B, 4H) given ∂L/∂h_t from above (T, B, H), excluding the recurrence. Consumes the
     * stored derivatives (δ is written over them); call once.
     */
    public NDArray backward(NDArray outputGradient) {
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
        NDList cellFactors = cellFactor.split(steps, 0);
        NDList forgetGates = forgetGate.split(steps, 0);
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
            NDArray nextRecurrent = t > 0 || initialHidden != null ? deltaSteps.get(t).matMul(recurrentWeight) : null;
            if (recurrentGradient != null) {
                recurrentGradient.close();
            }
            recurrentGradient = nextRecurrent;
            nextCellGradient = cellGradient;
        }
        nextCellGradient.close();
        if (initialHidden != null) {
            initialHiddenGradient = recurrentGradient.reshape(batch, hidden);
        }
        cellParts.close();
        outParts.close();
        deltaSteps.close();
        outputGradients.close();
        cellFactors.close();
        forgetGates.close();
        cellFactor.close();
        activations.close();
        return delta;
    }

    /** ∂L/∂h_{−1} (B, H) of a direction run from an initial state, after {@link #backward}; else null. */
    public NDArray initialHiddenGradient() {
        return initialHiddenGradient;
    }

    /** Gate {@code index} (i, f, g, o) of a (…, 4H) array, as a view. */
    private NDArray gate(NDArray gates, int index) {
        return gates.get(new NDIndex("..., {}:{}", index * hidden, (index + 1) * hidden));
    }
}
