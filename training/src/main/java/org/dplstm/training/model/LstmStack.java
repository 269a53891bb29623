package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** The part every head shares: embedding lookup and the stacked (optionally bidirectional) LSTM or GRU. */
final class LstmStack {

    private LstmStack() {}

    /**
     * Embeds the batch's tokens and runs every layer and direction through {@code runner}; the
     * trace holds each layer's inputs and outputs and the top layer's outputs in position order.
     */
    static ForwardTrace forward(ModelConfig config, NDManager work, Batch batch, NDList params,
            LstmDirectionRunner runner) {
        int steps = Math.toIntExact(batch.tokens().getShape().get(1));
        SequenceLayout layout = SequenceLayout.of(batch.lengths(), steps);
        NDArray tokens = batch.tokens().toType(DataType.INT64, false).transpose();
        tokens.attach(work);
        checkTokens(config.vocabSize(), tokens);
        NDArray embedded = embed(params.get(0), tokens);
        // an op's result belongs to its first operand's manager: the lookup would otherwise land,
        // with everything computed from it, in the manager that owns the parameters, for good
        embedded.attach(work);
        NDArray reversedRows = config.bidirectional() ? layout.reversedRows(work) : null;
        ForwardTrace trace =
                new ForwardTrace(layout, tokens, reversedRows, embedded, config.layers(), config.directions());
        NDArray layerInput = embedded;
        for (int layer = 0; layer < config.layers(); layer++) {
            NDList positionOrdered = new NDList();
            for (int direction = 0; direction < config.directions(); direction++) {
                NDArray input = direction == 0 ? layerInput : SequenceLayout.gatherRows(layerInput, reversedRows);
                NDArray output = runner.run(layer, direction, input,
                        ParameterLayout.cellWeights(config, params, layer, direction));
                trace.inputs[layer][direction] = input;
                trace.outputs[layer][direction] = output;
                positionOrdered.add(direction == 0 ? output : SequenceLayout.gatherRows(output, reversedRows));
            }
            layerInput = positionOrdered.size() == 1 ? positionOrdered.get(0) : NDArrays.concat(positionOrdered, 2);
        }
        trace.topOutputs = layerInput;
        return trace;
    }

    /** Rows of {@code table} for time-major token ids (T, B): (T, B, E). */
    static NDArray embed(NDArray table, NDArray tokens) {
        Shape shape = tokens.getShape();
        return table.get(new NDIndex("{}", tokens.flatten())).reshape(shape.get(0), shape.get(1), -1);
    }

    /** Fails unless every token id is in [0, vocabSize). */
    static void checkTokens(int vocabSize, NDArray tokens) {
        if (tokens.size() == 0) {
            return;
        }
        long min = tokens.min().getLong();
        long max = tokens.max().getLong();
        if (min < 0 || max >= vocabSize) {
            throw new IllegalArgumentException("token ids must be in [0, " + (vocabSize - 1)
                    + "], were in [" + min + ", " + max + "]");
        }
    }
}
