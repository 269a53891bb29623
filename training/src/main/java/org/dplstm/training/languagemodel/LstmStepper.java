package org.dplstm.training.languagemodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.dplstm.training.model.LstmCell;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelConfig;

/**
 * Runs a language model one token at a time, keeping each layer's (h, c), so generating N tokens
 * costs N cell steps rather than N forward passes over a growing prefix. Same cell as the engine's
 * LSTM: gates (i, f, g, o) = x·W_ihᵀ + h·W_hhᵀ + b, c ← σ(f)c + σ(i)tanh(g), h ← σ(o)tanh(c).
 * Arrays live in the manager given at construction.
 */
final class LstmStepper {

    private final LstmLanguageModel model;
    private final NDManager manager;
    private final NDArray[] hidden;
    private final NDArray[] cells;

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
                NDArray[] next = LstmCell.step(scope, input, hidden[layer], cells[layer], params,
                        model.lstmIndex(layer, 0));
                NDArray state = next[0];
                NDArray cell = next[1];
                cell.attach(manager);
                state.attach(manager);
                cells[layer].close();
                hidden[layer].close();
                cells[layer] = cell;
                hidden[layer] = state;
                input = state;
            }
            NDArray logits = input.matMul(transposed(model.outputWeight(params), scope))
                    .add(params.get(model.outputBiasIndex()));
            return logits.toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    private static NDArray transposed(NDArray parameter, NDManager scope) {
        NDArray view = parameter.transpose();
        view.attach(scope);
        return view;
    }
}
