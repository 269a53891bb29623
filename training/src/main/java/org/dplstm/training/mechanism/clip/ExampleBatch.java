package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDList;
import java.util.Objects;

/**
 * A (micro-)batch as a clipper sees it: the model's inputs and the labels, each batch-first, and
 * {@code groups}, each example's clipping unit (user-level DP clips the sum of a user's gradients,
 * McMahan et al. 2018), or null when every example is its own unit.
 */
public record ExampleBatch(NDList inputs, NDList labels, long[] groups) {

    public ExampleBatch {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs must hold at least one array, had none");
        }
        if (groups != null && groups.length != size(inputs)) {
            throw new IllegalArgumentException(
                    "groups must have one id per example (" + size(inputs) + "), had " + groups.length);
        }
    }

    public ExampleBatch(NDList inputs, NDList labels) {
        this(inputs, labels, null);
    }

    /** Examples in the batch (the inputs' first axis). */
    public int size() {
        return size(inputs);
    }

    private static int size(NDList inputs) {
        return Math.toIntExact(inputs.head().getShape().get(0));
    }
}
