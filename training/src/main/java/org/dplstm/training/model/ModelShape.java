package org.dplstm.training.model;

import org.dplstm.training.recurrent.CellKind;

/**
 * The recurrent stack a user chooses, declared once for every task: the cell, the embedding size
 * E, the hidden size H of each direction, the stacked layers, a reverse direction, a classifier's
 * readout of the top layer ({@link Pooling}), and whether the output layer is the embedding table
 * (language models and encoder-decoders). The command line builds it, run.json and
 * model_config.json store it under their own names (docs/ARCHITECTURE.md, "Configuration"), the
 * trainers' builders carry it and {@link ModelConfig} adds what the data decides (vocabulary,
 * classes). Checked here; what a task allows (e.g. no reverse direction in a language model) is
 * {@link ModelConfig}'s check.
 */
public record ModelShape(CellKind cell, int embeddingDim, int hiddenSize, int layers, boolean bidirectional,
        Pooling pooling, boolean tiedEmbedding) {

    public ModelShape {
        if (cell == null) {
            throw new IllegalArgumentException("cell must be one of [lstm, gru], was null");
        }
        atLeast("embedding size", embeddingDim, 1);
        atLeast("hidden size", hiddenSize, 1);
        atLeast("layers", layers, 1);
        if (pooling == null) {
            throw new IllegalArgumentException("pooling must be one of [last, mean], was null");
        }
    }

    /** One unidirectional LSTM layer read at its last state, untied: the defaults with these sizes. */
    public static ModelShape of(int embeddingDim, int hiddenSize) {
        return new ModelShape(CellKind.LSTM, embeddingDim, hiddenSize, 1, false, Pooling.LAST, false);
    }

    public ModelShape withCell(CellKind cell) {
        return new ModelShape(cell, embeddingDim, hiddenSize, layers, bidirectional, pooling, tiedEmbedding);
    }

    public ModelShape withEmbeddingDim(int embeddingDim) {
        return new ModelShape(cell, embeddingDim, hiddenSize, layers, bidirectional, pooling, tiedEmbedding);
    }

    public ModelShape withHiddenSize(int hiddenSize) {
        return new ModelShape(cell, embeddingDim, hiddenSize, layers, bidirectional, pooling, tiedEmbedding);
    }

    public ModelShape withLayers(int layers) {
        return new ModelShape(cell, embeddingDim, hiddenSize, layers, bidirectional, pooling, tiedEmbedding);
    }

    public ModelShape withBidirectional(boolean bidirectional) {
        return new ModelShape(cell, embeddingDim, hiddenSize, layers, bidirectional, pooling, tiedEmbedding);
    }

    public ModelShape withPooling(Pooling pooling) {
        return new ModelShape(cell, embeddingDim, hiddenSize, layers, bidirectional, pooling, tiedEmbedding);
    }

    public ModelShape withTiedEmbedding(boolean tiedEmbedding) {
        return new ModelShape(cell, embeddingDim, hiddenSize, layers, bidirectional, pooling, tiedEmbedding);
    }

    /** Recurrent directions per layer: 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
    }
}
