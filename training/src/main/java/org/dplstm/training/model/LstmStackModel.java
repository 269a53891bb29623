package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.dplstm.training.recurrent.CellWeights;

/**
 * A model made of an embedding, a stacked LSTM or GRU and an output head (a classifier or a language
 * model): what the fused per-example gradients and the per-example reference loop need to see.
 * Parameters are laid out by {@code ParameterLayout}.
 */
public interface LstmStackModel extends TextModel {

    /** Index in {@link #parameters()} of the embedding table. */
    default int embeddingIndex() {
        return 0;
    }

    /** Index of W_ih of a layer and direction; W_hh and the bias (a GRU's b_ih, b_hh) follow it. */
    default int recurrentIndex(int layer, int direction) {
        return ParameterLayout.recurrentIndex(config(), layer, direction);
    }

    /** A layer's and direction's arrays among {@code params} (the model's own, or autograd leaves). */
    default CellWeights cellWeights(NDList params, int layer, int direction) {
        return ParameterLayout.cellWeights(config(), params, layer, direction);
    }

    /** Index of the output weight, or -1 when a language model ties it to the embedding. */
    default int outputWeightIndex() {
        return ParameterLayout.outputWeightIndex(config());
    }

    /** Index of the output bias. */
    default int outputBiasIndex() {
        return ParameterLayout.outputBiasIndex(config());
    }

    /**
     * The forward pass with each recurrent direction run by {@code runner}, time-major inside, with
     * the given parameters (the model's own, or autograd leaves). {@code training} turns dropout
     * on ({@code dropoutScale} when given, else a fresh mask). Arrays belong to {@code work}.
     */
    ForwardTrace forward(NDManager work, Batch batch, NDList params, boolean training, NDArray dropoutScale,
            LstmDirectionRunner runner);
}
