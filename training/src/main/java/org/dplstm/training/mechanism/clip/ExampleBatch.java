package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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

    /**
     * The given rows of every input and label array as a batch of their own, in {@code scope}
     * (not in the long-lived batch's manager), with {@code groups} for them (null: each its own unit).
     */
    public ExampleBatch rows(NDManager scope, long[] rows, long[] groups) {
        NDArray index = scope.create(rows);
        return new ExampleBatch(rowsOf(scope, inputs, index), rowsOf(scope, labels, index), groups);
    }

    private static NDList rowsOf(NDManager scope, NDList arrays, NDArray rows) {
        NDList part = new NDList(arrays.size());
        for (NDArray array : arrays) {
            NDArray selected = array.get(new NDIndex("{}", rows));
            selected.attach(scope);
            part.add(selected);
        }
        return part;
    }

    /** Examples in the batch (the inputs' first axis). */
    public int size() {
        return size(inputs);
    }

    private static int size(NDList inputs) {
        return Math.toIntExact(inputs.head().getShape().get(0));
    }
}
