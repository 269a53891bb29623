package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The trainable parameters a clipper's sums are for, in order: a name per parameter (the
 * optimizer's state key) and its live array, which the optimizer updates in place.
 */
public interface ParameterSet {

    /** A name per parameter, in order. */
    List<String> names();

    /** The parameters' current arrays, parallel to {@link #names()}. */
    NDList arrays();

    /** Zeros shaped and typed like each parameter, in {@code scope}. */
    default NDList zeros(NDManager scope) {
        NDList arrays = arrays();
        NDList zeros = new NDList(arrays.size());
        for (NDArray array : arrays) {
            zeros.add(scope.zeros(array.getShape(), array.getDataType()));
        }
        return zeros;
    }

    /** Parameters held as plain arrays (a model of the project's own, not DJL blocks). */
    static ParameterSet of(List<String> names, NDList arrays) {
        if (names.size() != arrays.size()) {
            throw new IllegalArgumentException("parameters must have one name each, had " + names.size()
                    + " names for " + arrays.size() + " arrays");
        }
        List<String> copy = List.copyOf(names);
        return new ParameterSet() {
            @Override
            public List<String> names() {
                return copy;
            }

            @Override
            public NDList arrays() {
                return arrays;
            }
        };
    }
}
