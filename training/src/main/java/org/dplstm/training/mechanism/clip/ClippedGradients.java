package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The sum over a batch of per-unit gradients, each clipped to the norm bound, in the order of
 * {@link org.dplstm.training.model.DifferentiableModel#parameters()}, and each unit's unclipped
 * gradient norm {@code norms} (one per clipping unit: an example, or a group in user-level mode).
 */
public record ClippedGradients(NDList sums, NDArray norms) {

    /** The sums of an empty batch: zeros of every parameter's shape, no norms. */
    public static ClippedGradients ofEmptyBatch(NDManager scope, NDList parameters, DataType dataType) {
        NDList zeros = new NDList();
        for (NDArray p : parameters) {
            zeros.add(scope.zeros(p.getShape(), p.getDataType()));
        }
        return new ClippedGradients(zeros, scope.zeros(new Shape(0), dataType));
    }
}
