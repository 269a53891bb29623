package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * A step's clipped gradient sum, one array per model parameter in the model's order (null where
 * no sampled unit contributed, e.g. an empty sample), and a local-only training loss and accuracy
 * measured on part of the sample ({@link Evaluation#NONE} when not measured).
 */
public record SampledSum(NDArray[] sums, Evaluation local) {

    public SampledSum {
        Objects.requireNonNull(sums, "sums");
        Objects.requireNonNull(local, "local");
    }
}
