package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What one encoder-decoder forward pass computed, kept for a hand-written backward: the encoded
 * sources (with the encoder's trace), the targets' layout and time-major tokens (T, B), their
 * embeddings (T, B, E), each decoder layer's input and hidden states (T, B, ·) and the attention.
 */
public final class EncoderDecoderTrace {

    private final EncodedSource source;
    private final SequenceLayout targetLayout;
    private final NDArray targetTokens;
    private final NDArray targetEmbedded;
    private final NDArray[] decoderInputs;
    private final NDArray[] decoderOutputs;
    private final Attention attention;

    EncoderDecoderTrace(EncodedSource source, SequenceLayout targetLayout, NDArray targetTokens,
            NDArray targetEmbedded, NDArray[] decoderInputs, NDArray[] decoderOutputs, Attention attention) {
        this.source = source;
        this.targetLayout = targetLayout;
        this.targetTokens = targetTokens;
        this.targetEmbedded = targetEmbedded;
        this.decoderInputs = decoderInputs;
        this.decoderOutputs = decoderOutputs;
        this.attention = attention;
    }

    public EncodedSource source() {
        return source;
    }

    public ForwardTrace encoder() {
        return source.encoder();
    }

    public SequenceLayout targetLayout() {
        return targetLayout;
    }

    /** Target token ids, time-major (T, B) int64: the decoder's inputs. */
    public NDArray targetTokens() {
        return targetTokens;
    }

    /**
     * The token each target position predicts (T, B): the next one, 0 past the end (the loss
     * masks it out).
     */
    public NDArray nextTargetTokens() {
        long batch = targetTokens.getShape().get(1);
        NDArray padding = targetTokens.getManager().zeros(new Shape(1, batch), DataType.INT64);
        return targetTokens.get(new NDIndex("1:")).concat(padding, 0);
    }

    public NDArray targetEmbedded() {
        return targetEmbedded;
    }

    public NDArray decoderInput(int layer) {
        return decoderInputs[layer];
    }

    public NDArray decoderOutput(int layer) {
        return decoderOutputs[layer];
    }

    /** The top decoder layer's states (T, B, F). */
    public NDArray decoderTop() {
        return decoderOutputs[decoderOutputs.length - 1];
    }

    public Attention attention() {
        return attention;
    }

    public NDArray logits() {
        return attention.logits();
    }
}
