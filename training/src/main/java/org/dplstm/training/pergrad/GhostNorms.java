package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import org.dplstm.training.mechanism.ghost.ClippingUnits;

/**
 * Per-unit squared gradient norms of a linear map in "ghost" form (ARCHITECTURE §3.3): a weight W and
 * bias b used at positions t, with inputs a_t and output gradients g_t, have per-unit gradients
 * Σ_t g_t a_tᵀ and Σ_t g_t, whose squared norms together are Σ_{t,s} (g_t·g_s)(a_t·a_s + 1): two
 * (T×T) Grams per unit, never the per-unit weight gradients themselves. Several weights fed at
 * the same positions with the same g_t (an LSTM's W_ih and W_hh) add their input Grams.
 */
final class GhostNorms {

    private GhostNorms() {}

    /** Per unit Gram (U, m·T, m·T) of a time-major (T, B, d) array. */
    static NDArray gram(NDArray timeMajor, ClippingUnits units) {
        NDArray grouped = units.regroup(timeMajor.transpose(1, 0, 2));
        return grouped.batchMatMul(grouped.transpose(0, 2, 1));
    }

    /**
     * Σ_{t,s} (g_t·g_s)(Σ_k a_{k,t}·a_{k,s} + 1) per unit (U): the squared norm of the weights fed
     * by the inputs (each time-major (T, B, d_k)) and of the bias, for output gradients
     * {@code gradient} (T, B, n).
     */
    static NDArray linearLayer(NDArray gradient, ClippingUnits units, NDArray input, NDArray... moreInputs) {
        return squaredNorms(gradient, units, true, input, moreInputs);
    }

    /**
     * Σ_{t,s} (g_t·g_s)(Σ_k a_{k,t}·a_{k,s}) per unit (U): as {@link #linearLayer} for a weight
     * without a bias (an attention layer's).
     */
    static NDArray weightOnly(NDArray gradient, ClippingUnits units, NDArray input, NDArray... moreInputs) {
        return squaredNorms(gradient, units, false, input, moreInputs);
    }

    private static NDArray squaredNorms(NDArray gradient, ClippingUnits units, boolean withBias, NDArray input,
            NDArray... moreInputs) {
        NDArray inputGrams = gram(input, units);
        for (NDArray more : moreInputs) {
            try (NDArray moreGram = gram(more, units)) {
                inputGrams.addi(moreGram);
            }
        }
        try (NDArray combined = withBias ? inputGrams.addi(1) : inputGrams;
                NDArray gradientGram = gram(gradient, units)) {
            return combined.muli(gradientGram).sum(new int[] {1, 2});
        }
    }
}
