package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;

/**
 * One physical batch on the engine: right-padded token ids {@code tokens} (B, T) int64, each
 * example's real length {@code lengths} (B) int64 (at least 1), its target {@code labels} (B)
 * int64 (class ids for a classifier; for a language model, unused: targets are the next tokens),
 * and {@code groups} (B) int64, the clipping unit of each example (user-level DP clips the sum of
 * a user's gradients), or {@code null} when every example is its own unit.
 */
public record Batch(NDArray tokens, NDArray lengths, NDArray labels, NDArray groups) {

    /** Number of examples in the batch (may be 0). */
    public long size() {
        return tokens.getShape().get(0);
    }
}
