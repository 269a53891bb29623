package org.dplstm.training.dpsgd;

import org.dplstm.training.model.FrozenPart;

/**
 * How a step clips each unit's gradient: to L2 norm {@code norm} over every trained parameter,
 * the {@code frozen} ones left out of the norm and the sum (ARCHITECTURE §2, variants).
 */
public record ClipBound(double norm, FrozenPart frozen) {

    public ClipBound {
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("clip norm must be positive and finite, was " + norm);
        }
        if (frozen == null) {
            throw new IllegalArgumentException("frozen part must not be null");
        }
    }

    /** Every parameter trained, clipped to {@code norm}. */
    public static ClipBound of(double norm) {
        return new ClipBound(norm, FrozenPart.NONE);
    }
}
