package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;

/**
 * What one forward pass computed, kept for a hand-written backward (time-major arrays):
 * per layer and direction the LSTM's input (T, B, in) and hidden states (T, B, H), both in that
 * direction's time order; the classifier's features (B, F) read at each last real position; the
 * LayerNorm's normalized features and inverse standard deviation (null without LayerNorm); the
 * dropout scale (B, F) (null when dropout is off); the output layer's input and logits: (B, F)
 * and (B, K) for a classifier, (T, B, F) and (T, B, V) for a language model.
 */
public final class ForwardTrace {

    final SequenceLayout layout;
    final NDArray tokens;
    final NDArray reversedRows;
    final NDArray embedded;
    final NDArray[][] inputs;
    final NDArray[][] outputs;
    NDArray topOutputs;
    NDArray features;
    NDArray normalized;
    NDArray inverseStd;
    NDArray dropoutScale;
    NDArray headInput;
    NDArray logits;

    ForwardTrace(SequenceLayout layout, NDArray tokens, NDArray reversedRows, NDArray embedded, int layers, int directions) {
        this.layout = layout;
        this.tokens = tokens;
        this.reversedRows = reversedRows;
        this.embedded = embedded;
        this.inputs = new NDArray[layers][directions];
        this.outputs = new NDArray[layers][directions];
    }

    /** A trace of the head alone (a frozen encoder's cached features): no layout, tokens or states. */
    static ForwardTrace headOnly() {
        return new ForwardTrace(null, null, null, null, 0, 0);
    }

    public SequenceLayout layout() {
        return layout;
    }

    /** Token ids, time-major (T, B) int64. */
    public NDArray tokens() {
        return tokens;
    }

    /** Flat rows that reverse each example within its length (null when unidirectional). */
    public NDArray reversedRows() {
        return reversedRows;
    }

    /** Embedded tokens (T, B, E), position order. */
    public NDArray embedded() {
        return embedded;
    }

    public NDArray input(int layer, int direction) {
        return inputs[layer][direction];
    }

    public NDArray output(int layer, int direction) {
        return outputs[layer][direction];
    }

    /** The top layer's outputs (T, B, F), position order. */
    public NDArray topOutputs() {
        return topOutputs;
    }

    public NDArray features() {
        return features;
    }

    public NDArray normalized() {
        return normalized;
    }

    public NDArray inverseStd() {
        return inverseStd;
    }

    public NDArray dropoutScale() {
        return dropoutScale;
    }

    public NDArray headInput() {
        return headInput;
    }

    public NDArray logits() {
        return logits;
    }
}
