package org.dplstm.training.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * What differs between an LSTM and a GRU layer, in the plain forward and in the fused method
 * (ARCHITECTURE §3.2, §3.8).
 */
public interface RecurrentCell {

    /** The cell of a kind. */
    static RecurrentCell of(CellKind kind) {
        return kind == CellKind.GRU ? GRU : LSTM;
    }

    /**
     * One direction through the engine's fused op from zero state over a time-major input
     * (T, B, in): its hidden states (T, B, H). {@code forBackward} keeps what autograd needs.
     */
    NDArray run(NDArray input, CellWeights weights, boolean forBackward);

    /** One direction run by hand over a constant time-major input, its backward to come (§3.2). */
    RecurrentRun unrolled(NDManager work, NDArray input, CellWeights weights);

    /** The bias added to the input projection u = x W_ihᵀ + b in the identity-input method (null: none). */
    NDArray projectionBias(NDArray inputBias, NDArray recurrentBias);

    /** The engine's fused cell over u with identity input weights, with autograd (§3.2, ENGINE_IDENTITY). */
    NDArray engine(NDArray projected, NDArray identity, NDArray recurrentWeight, NDArray recurrentBias);

    /** δ^q of the recurrent side from δ^a = ∂L/∂u (identity-input method); the same array for an LSTM. */
    NDArray hiddenDelta(NDArray inputDelta, NDArray projected, NDArray previousHidden, NDArray recurrentWeight,
            NDArray recurrentBias);

    RecurrentCell LSTM = new RecurrentCell() {
        @Override
        public NDArray run(NDArray input, CellWeights w, boolean forBackward) {
            return EngineLstm.run(input, w.inputWeight(), w.recurrentWeight(), w.inputBias(), w.recurrentBias(),
                    forBackward);
        }

        @Override
        public RecurrentRun unrolled(NDManager work, NDArray input, CellWeights w) {
            // both biases only ever appear summed in an LSTM's gates
            NDArray bias = projectionBias(w.inputBias(), w.recurrentBias());
            if (bias == null) {
                bias = work.zeros(new Shape(w.recurrentWeight().getShape().get(0)), input.getDataType());
            }
            UnrolledLstm lstm = UnrolledLstm.forward(work, input, w.inputWeight(), w.recurrentWeight(), bias);
            return new RecurrentRun() {
                @Override
                public NDArray outputs() {
                    return lstm.outputs();
                }

                @Override
                public NDArray previousHidden() {
                    return lstm.previousHidden();
                }

                @Override
                public Deltas backward(NDArray outputGradient) {
                    NDArray delta = lstm.backward(outputGradient);
                    return new Deltas(delta, delta);
                }
            };
        }

        @Override
        public NDArray projectionBias(NDArray inputBias, NDArray recurrentBias) {
            if (inputBias == null || recurrentBias == null) {
                return inputBias != null ? inputBias : recurrentBias;
            }
            return inputBias.add(recurrentBias);
        }

        @Override
        public NDArray engine(NDArray projected, NDArray identity, NDArray recurrentWeight, NDArray recurrentBias) {
            return EngineLstm.runWithoutBias(projected, identity, recurrentWeight, true);
        }

        @Override
        public NDArray hiddenDelta(NDArray inputDelta, NDArray projected, NDArray previousHidden,
                NDArray recurrentWeight, NDArray recurrentBias) {
            return inputDelta;
        }
    };

    RecurrentCell GRU = new RecurrentCell() {
        @Override
        public NDArray run(NDArray input, CellWeights w, boolean forBackward) {
            return EngineGru.run(input, w.inputWeight(), w.recurrentWeight(), w.inputBias(), w.recurrentBias(),
                    forBackward);
        }

        @Override
        public RecurrentRun unrolled(NDManager work, NDArray input, CellWeights w) {
            return UnrolledGru.forward(work, input, w.inputWeight(), w.recurrentWeight(), w.inputBias(),
                    w.recurrentBias());
        }

        /** b_hn sits inside r ⊙ (W_hn h + b_hn), so only b_ih joins the input projection. */
        @Override
        public NDArray projectionBias(NDArray inputBias, NDArray recurrentBias) {
            return inputBias;
        }

        @Override
        public NDArray engine(NDArray projected, NDArray identity, NDArray recurrentWeight, NDArray recurrentBias) {
            return EngineGru.run(projected, identity, recurrentWeight, null, recurrentBias, true);
        }

        /** δ^q = δ^a with its n slot times r, r = σ(u_r + h_prev W_hrᵀ + b_hr) recomputed in bulk. */
        @Override
        public NDArray hiddenDelta(NDArray inputDelta, NDArray projected, NDArray previousHidden,
                NDArray recurrentWeight, NDArray recurrentBias) {
            long hidden = recurrentWeight.getShape().get(1);
            NDIndex resetRows = new NDIndex("0:{}", hidden);
            NDArray reset = projected.get(new NDIndex("..., 0:{}", hidden))
                    .add(previousHidden.matMul(recurrentWeight.get(resetRows).transpose()));
            if (recurrentBias != null) {
                reset.addi(recurrentBias.get(resetRows));
            }
            NDArray hiddenDelta = inputDelta.duplicate();
            hiddenDelta.get(new NDIndex("..., {}:", 2 * hidden)).muli(Activation.sigmoid(reset));
            return hiddenDelta;
        }
    };
}
