package org.dplstm.training.mechanism.ghost;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * One use's per-example gradients of one parameter, in a form whose per-unit inner products and
 * clipped sums are cheap (ARCHITECTURE §3.3-3.5). A parameter used several times (shared or tied
 * weights) has one per use; its per-unit gradient is their sum, whose squared norm includes the
 * cross terms (§3.6).
 */
public sealed interface UseGradient {

    /**
     * Σ_n left_n ⊗ right_n per example: a weight W used as y_n = W a_n has left = ∂L/∂y_n and
     * right = a_n (the weight's shape is (left width, right width), or any shape of that size);
     * {@code right} null is a bias, Σ_n left_n.
     */
    record Outer(PositionRows left, PositionRows right) implements UseGradient {
        public Outer {
            Objects.requireNonNull(left, "left");
            if (right != null && !left.pairsWith(right)) {
                throw new IllegalArgumentException("a weight's output gradients and inputs must pair up row by row");
            }
        }
    }

    /**
     * Σ_n e_{id_n} ⊗ right_n per example: rows of a (tableRows, width) table looked up by integer
     * ids (an embedding), {@code ids} (width 1) laid out as {@code right}.
     */
    record TableRows(PositionRows ids, PositionRows right, long tableRows) implements UseGradient {
        public TableRows {
            if (!ids.pairsWith(right) || ids.width() != 1) {
                throw new IllegalArgumentException("ids must be one per row of the looked-up gradients");
            }
        }
    }

    /** Each example's own gradient, (B, parameter shape...): for small parameters (LayerNorm). */
    record PerExample(NDArray gradients) implements UseGradient {}

    static UseGradient weight(PositionRows outputGradient, PositionRows input) {
        return new Outer(outputGradient, Objects.requireNonNull(input, "input"));
    }

    static UseGradient bias(PositionRows outputGradient) {
        return new Outer(outputGradient, null);
    }
}
