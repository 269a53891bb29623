package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The sum over a batch of per-unit gradients, each clipped to the norm bound, in the order of
 * {@link org.dplstm.training.model.DifferentiableModel#parameters()}, and each unit's unclipped
 * gradient norm {@code norms} (one per clipping unit: an example, or a group in user-level mode).
 */
public record ClippedGradients(NDList sums, NDArray norms) {}
