package org.dplstm.training.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * One GRU direction's δ = ∂L/∂(gate pre-activations) without autograd (ARCHITECTURE §3.8). A
 * GRU's state is h alone, so once the engine's fused forward has given every h_t, each step's
 * gates follow from (x_t, h_{t−1}) in bulk: a = x W_ihᵀ + b_ih and q = h_prev W_hhᵀ + b_hh are
 * matmuls over all T·B rows (one per gate), then r, z, n and the cell's local derivatives
 * P_n = (1 − z)(1 − n²), P_z = (h_prev − n) z(1 − z), P_r = P_n q_n r(1 − r). The backward is
 * then the bare recurrence dh_t = ∂L/∂h_t + dh_{t+1} z_{t+1} + δ^q_{t+1} W_hh with
 * δ^a_t = dh_t ⊙ [P_r, P_z, P_n] (the input side: W_ih, b_ih, ∂L/∂x) and
 * δ^q_t = dh_t ⊙ [P_r, P_z, P_n r] (the recurrent side: W_hh, b_hh), five engine calls a step.
 */
public final class UnrolledGru implements RecurrentRun {

    private final NDArray recurrentWeight;
    private final NDArray outputs;
    private final NDArray previousHidden;
    private NDArray inputDerivatives; // [P_r, P_z, P_n] (T, B, 3H), becomes δ^a
    private NDArray hiddenDerivatives; // [P_r, P_z, P_n r] (T, B, 3H), becomes δ^q
    private NDArray update; // z (T, B, H)

    private UnrolledGru(NDArray recurrentWeight, NDArray outputs, NDArray previousHidden) {
        this.recurrentWeight = recurrentWeight;
        this.outputs = outputs;
        this.previousHidden = previousHidden;
    }

    /** Runs the direction forward from zero state over a time-major constant input (T, B, in). */
    static UnrolledGru forward(NDManager work, NDArray input, NDArray inputWeight, NDArray recurrentWeight,
            NDArray inputBias, NDArray recurrentBias) {
        NDArray outputs = EngineGru.run(input, inputWeight, recurrentWeight, inputBias, recurrentBias, false);
        long batch = input.getShape().get(1);
        long hidden = recurrentWeight.getShape().get(1);
        NDArray previousHidden = work.zeros(new Shape(1, batch, hidden), input.getDataType())
                .concat(outputs.get(new NDIndex(":-1")), 0);
        UnrolledGru gru = new UnrolledGru(recurrentWeight, outputs, previousHidden);
        gru.derivatives(input, inputWeight, inputBias, recurrentBias, hidden);
        return gru;
    }

    private void derivatives(NDArray input, NDArray inputWeight, NDArray inputBias, NDArray recurrentBias,
            long hidden) {
        // one projection per gate keeps every array below contiguous: elementwise ops on slices of
        // the last axis ran several times slower in the engine
        NDArray reset = Activation.sigmoid(
                project(input, inputWeight, inputBias, 0, hidden).addi(
                        project(previousHidden, recurrentWeight, recurrentBias, 0, hidden)));
        update = Activation.sigmoid(
                project(input, inputWeight, inputBias, 1, hidden).addi(
                        project(previousHidden, recurrentWeight, recurrentBias, 1, hidden)));
        NDArray hiddenCandidate = project(previousHidden, recurrentWeight, recurrentBias, 2, hidden); // q_n
        NDArray candidate = project(input, inputWeight, inputBias, 2, hidden)
                .addi(reset.mul(hiddenCandidate)).tanh(); // n
        NDArray keep = update.neg().addi(1); // 1 − z
        NDArray candidateFactor = candidate.square().negi().addi(1).muli(keep); // P_n
        NDArray updateFactor = previousHidden.sub(candidate).muli(update).muli(keep); // P_z
        NDArray resetFactor = candidateFactor.mul(hiddenCandidate).muli(reset).muli(reset.neg().addi(1)); // P_r
        inputDerivatives = NDArrays.concat(new NDList(resetFactor, updateFactor, candidateFactor), 2);
        hiddenDerivatives = NDArrays.concat(new NDList(resetFactor, updateFactor, candidateFactor.muli(reset)), 2);
    }

    /** x W_gᵀ + b_g for gate {@code gate} (r, z, n) of a (3H, in) weight and (3H) bias (may be null). */
    private static NDArray project(NDArray x, NDArray weight, NDArray bias, int gate, long hidden) {
        NDIndex rows = new NDIndex("{}:{}", gate * hidden, (gate + 1) * hidden);
        return x.getNDArrayInternal()
                .linear(x, weight.get(rows), bias == null ? null : bias.get(rows))
                .singletonOrThrow();
    }

    @Override
    public NDArray outputs() {
        return outputs;
    }

    @Override
    public NDArray previousHidden() {
        return previousHidden;
    }

    /** Consumes {@code outputGradient} (T, B, H) and the stored derivatives; call once. */
    @Override
    public Deltas backward(NDArray outputGradient) {
        Shape shape = outputGradient.getShape();
        int steps = Math.toIntExact(shape.get(0));
        long batch = shape.get(1);
        long hidden = shape.get(2);
        // (…, 1, H) views broadcast over the three gates of (…, 3, H); (…, 1, 3H) views feed the matmul
        NDArray hiddenGradients = outputGradient.reshape(steps, batch, 1, hidden); // dh_t, accumulated in place
        NDList dh = hiddenGradients.split(steps, 0);
        NDList deltaByGate = hiddenDerivatives.reshape(steps, batch, 3, hidden).split(steps, 0);
        NDList deltaRows = hiddenDerivatives.reshape(steps, batch, 1, 3 * hidden).split(steps, 0);
        NDList updates = update.reshape(steps, batch, 1, hidden).split(steps, 0);
        NDArray carried = null;
        for (int t = steps - 1; t >= 0; t--) {
            NDArray gradient = dh.get(t);
            if (carried != null) {
                gradient.addi(carried);
            }
            deltaByGate.get(t).muli(gradient); // δ^q_t
            if (t > 0) {
                carried = deltaRows.get(t).matMul(recurrentWeight).addi(gradient.mul(updates.get(t)));
            }
        }
        NDArray hiddenDelta = hiddenDerivatives;
        NDArray inputDelta = inputDerivatives.reshape(steps, batch, 3, hidden).muli(hiddenGradients)
                .reshape(steps, batch, 3 * hidden);
        hiddenDerivatives = null;
        inputDerivatives = null;
        return new Deltas(inputDelta, hiddenDelta);
    }
}
