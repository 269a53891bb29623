package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * A step's clipped gradient sum, one array per model parameter in the model's order (null where
 * no sampled unit contributed, e.g. an empty sample), a local-only training loss and accuracy
 * measured on part of the sample ({@link Evaluation#NONE} when not measured), and how many sampled
 * units had a gradient norm within the step's clip bound (the count adaptive clipping noises and
 * releases; null where it was not counted).
 */
public record SampledSum(NDArray[] sums, Evaluation local, NDArray unitsWithinBound) {

    public SampledSum {
        Objects.requireNonNull(sums, "sums");
        Objects.requireNonNull(local, "local");
    }

    /** A sum whose units' norms were not counted. */
    public SampledSum(NDArray[] sums, Evaluation local) {
        this(sums, local, null);
    }
}
