package org.dplstm.training.languagemodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.dplstm.training.model.LstmCell;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.recurrent.CellWeights;

/**
 * Runs a language model one token at a time, keeping each layer's state, so generating N tokens
 * costs N cell steps rather than N forward passes over a growing prefix. The same cells as the
 * engine's: an LSTM's gates (i, f, g, o) = x·W_ihᵀ + h·W_hhᵀ + b, c ← σ(f)c + σ(i)tanh(g),
 * h ← σ(o)tanh(c); a GRU's (r, z, n) from a = x·W_ihᵀ + b_ih and q = h·W_hhᵀ + b_hh,
 * r = σ(a_r + q_r), z = σ(a_z + q_z), n = tanh(a_n + r⊙q_n), h ← (1 − z)n + z h (ARCHITECTURE §3.8).
 * Arrays live in the manager given at construction.
 */
final class LstmStepper {

    private final LstmLanguageModel model;
    private final NDManager manager;
    private final NDArray[] hidden;
    private final NDArray[] cells; // an LSTM's c; unused by a GRU

    LstmStepper(LstmLanguageModel model, NDManager manager) {
        this.model = model;
        this.manager = manager;
        ModelConfig config = model.config();
        hidden = new NDArray[config.layers()];
        cells = new NDArray[config.layers()];
        for (int layer = 0; layer < config.layers(); layer++) {
            hidden[layer] = manager.zeros(new Shape(1, config.hiddenSize()), config.dataType());
            cells[layer] = manager.zeros(new Shape(1, config.hiddenSize()), config.dataType());
        }
    }

    /** Feeds one token; returns the logits (V) of the token after it. */
    double[] step(int tokenId) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = params.get(model.embeddingIndex()).get(tokenId).reshape(1, config.embeddingDim());
            input.attach(scope); // results of ops on parameters would otherwise stay in the model's manager
            for (int layer = 0; layer < config.layers(); layer++) {
                CellWeights weights = model.cellWeights(params, layer, 0);
                NDArray state = config.cell() == CellKind.GRU
                        ? gruStep(input, layer, weights, scope)
                        : lstmStep(input, layer, params, scope);
                state.attach(manager);
                hidden[layer].close();
                hidden[layer] = state;
                input = state;
            }
            NDArray logits = input.matMul(transposed(model.outputWeight(params), scope))
                    .add(params.get(model.outputBiasIndex()));
            return logits.toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    /** The LSTM cell: updates the layer's c and returns its new h. */
    private NDArray lstmStep(NDArray input, int layer, NDList params, NDManager scope) {
        NDArray[] next = LstmCell.step(scope, input, hidden[layer], cells[layer], params, model.recurrentIndex(layer, 0));
        NDArray state = next[0];
        NDArray cell = next[1];
        cell.attach(manager);
        cells[layer].close();
        cells[layer] = cell;
        return state;
    }

    /** The GRU cell: the layer's new h. */
    private NDArray gruStep(NDArray input, int layer, CellWeights weights, NDManager scope) {
        NDArray previous = hidden[layer];
        NDList inputSide = input.matMul(transposed(weights.inputWeight(), scope)).add(weights.inputBias()).split(3, 1);
        NDList hiddenSide = previous.matMul(transposed(weights.recurrentWeight(), scope))
                .add(weights.recurrentBias()).split(3, 1);
        NDArray reset = Activation.sigmoid(inputSide.get(0).add(hiddenSide.get(0)));
        NDArray update = Activation.sigmoid(inputSide.get(1).add(hiddenSide.get(1)));
        NDArray candidate = inputSide.get(2).add(reset.mul(hiddenSide.get(2))).tanh();
        return update.neg().add(1).mul(candidate).add(update.mul(previous));
    }

    private static NDArray transposed(NDArray parameter, NDManager scope) {
        NDArray view = parameter.transpose();
        view.attach(scope);
        return view;
    }
}
