package org.dplstm.training.seq2seq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.dplstm.training.model.EncodedSource;
import org.dplstm.training.model.LstmCell;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.ModelConfig;

/**
 * Runs an encoder-decoder's decoder one token at a time for R rows (hypotheses) at once, keeping
 * each layer's (h, c): N target tokens cost N cell steps, not N forward passes over a growing
 * prefix. The cell is the engine LSTM's ({@link LstmCell}); then the model's own attention and
 * output layers.
 * Arrays live in the manager given at construction.
 */
final class DecoderStepper {

    private final LstmEncoderDecoder model;
    private final NDManager manager;
    private EncodedSource source;
    private final NDArray[] hidden;
    private final NDArray[] cells;

    /** Starts every row from its source's encoder states ({@code source} rows = R). */
    DecoderStepper(LstmEncoderDecoder model, NDManager manager, EncodedSource source) {
        this.model = model;
        this.manager = manager;
        this.source = source;
        ModelConfig config = model.config();
        hidden = new NDArray[config.layers()];
        cells = new NDArray[config.layers()];
        for (int layer = 0; layer < config.layers(); layer++) {
            hidden[layer] = source.initialHidden(layer);
            cells[layer] = manager.zeros(hidden[layer].getShape(), config.dataType());
        }
    }

    /** Feeds one token per row; returns each row's log-probabilities of the next target token (R × V). */
    double[][] step(long[] tokens) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = params.get(model.targetEmbeddingIndex()).get(new NDIndex("{}", scope.create(tokens)));
            input.attach(scope); // results of ops on parameters would otherwise stay in the model's manager
            for (int layer = 0; layer < config.layers(); layer++) {
                NDArray[] next = LstmCell.step(scope, input, hidden[layer], cells[layer], params,
                        model.decoderLstmIndex(layer));
                NDArray state = next[0];
                NDArray cell = next[1];
                cell.attach(manager);
                state.attach(manager);
                cells[layer] = cell;
                hidden[layer] = state;
                input = state;
            }
            NDArray logits = model.attend(scope, source, input.expandDims(0), params).logits().squeeze(0);
            double[] flat = logits.logSoftmax(1).toType(DataType.FLOAT64, false).toDoubleArray();
            int rows = tokens.length;
            int vocab = config.targetVocabSize();
            double[][] result = new double[rows][];
            for (int r = 0; r < rows; r++) {
                result[r] = java.util.Arrays.copyOfRange(flat, r * vocab, (r + 1) * vocab);
            }
            return result;
        }
    }

    /** Keeps (and repeats) rows: row i of the new state is row {@code rows[i]} of the old (beam search). */
    void selectRows(long[] rows) {
        NDArray index = manager.create(rows, new Shape(rows.length));
        source = source.selectRows(index);
        for (int layer = 0; layer < hidden.length; layer++) {
            hidden[layer] = hidden[layer].get(new NDIndex("{}", index));
            cells[layer] = cells[layer].get(new NDIndex("{}", index));
        }
    }
}
