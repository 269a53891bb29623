package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * What an encoder-decoder's decoder needs of the encoded sources: the encoder's top states h̄
 * (B, S, F) batch-major, the attention keys (W_a h̄ for the general score, h̄ itself for dot),
 * the additive score mask (B, 1, S) that gives padded source positions zero attention, and per
 * decoder layer its initial hidden state (B, F): the encoder layer's final states, the last real
 * position of each direction side by side. {@link #encoder()} is the encoder's full trace
 * (null after {@link #selectRows}).
 */
public final class EncodedSource {

    private final ForwardTrace encoder;
    private final NDArray states;
    private final NDArray keys;
    private final NDArray maskBias;
    private final NDArray[] initialHidden;

    EncodedSource(ForwardTrace encoder, NDArray states, NDArray keys, NDArray maskBias, NDArray[] initialHidden) {
        this.encoder = encoder;
        this.states = states;
        this.keys = keys;
        this.maskBias = maskBias;
        this.initialHidden = initialHidden;
    }

    public ForwardTrace encoder() {
        return encoder;
    }

    /** h̄ (B, S, F). */
    public NDArray states() {
        return states;
    }

    /** (B, S, F): scores are decoder state · key. */
    public NDArray keys() {
        return keys;
    }

    /** (B, 1, S): 0 at real source positions, a large negative number on padding. */
    public NDArray maskBias() {
        return maskBias;
    }

    /** The initial hidden state (B, F) of decoder layer {@code layer}. */
    public NDArray initialHidden(int layer) {
        return initialHidden[layer];
    }

    public int layers() {
        return initialHidden.length;
    }

    /** The same sources reordered or repeated by row index (R) (beam search); no encoder trace. */
    public EncodedSource selectRows(NDArray rows) {
        NDIndex index = new NDIndex("{}", rows);
        NDArray[] hidden = new NDArray[initialHidden.length];
        for (int layer = 0; layer < hidden.length; layer++) {
            hidden[layer] = initialHidden[layer].get(index);
        }
        return new EncodedSource(null, states.get(index), keys.get(index), maskBias.get(index), hidden);
    }
}
