package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.mechanism.ghost.NormForm;

/**
 * Per-unit squared gradient norms of a linear map (ARCHITECTURE §3.3): a weight W and bias b used
 * at positions t, with inputs a_t and output gradients g_t, have per-unit gradients Σ_t g_t a_tᵀ
 * and Σ_t g_t, whose squared norms together are Σ_{t,s} (g_t·g_s)(a_t·a_s + 1). Two ways to the
 * same number, chosen by {@link NormForm} for the shapes at hand: the "ghost" form, two (L×L)
 * Grams per unit (L a unit's positions), never the weight gradients; or the materialised form,
 * each unit's (n×d) weight gradient by one batched matmul, squared and summed. Long texts through
 * a small layer (a character language model) favour the second, short texts through a wide layer
 * the first. Several weights fed at the same positions with the same g_t (an LSTM's
 * W_ih and W_hh) share the gradient's Gram and add their input Grams.
 */
final class GhostNorms {

    private GhostNorms() {}

    /** Per unit Gram (U, m·T, m·T) of a time-major (T, B, d) array. */
    static NDArray gram(NDArray timeMajor, ClippingUnits units) {
        NDArray grouped = grouped(timeMajor, units);
        return grouped.batchMatMul(grouped.transpose(0, 2, 1));
    }

    /** A time-major (T, B, d) array as (U, m·T, d): each unit's positions side by side. */
    static NDArray grouped(NDArray timeMajor, ClippingUnits units) {
        return units.regroup(timeMajor.transpose(1, 0, 2));
    }

    /**
     * Σ_{t,s} (g_t·g_s)(Σ_k a_{k,t}·a_{k,s} + 1) per unit (U): the squared norm of the weights fed
     * by the inputs (each time-major (T, B, d_k)) and of the bias, for output gradients
     * {@code gradient} (T, B, n).
     */
    static NDArray linearLayer(NDArray gradient, ClippingUnits units, NDArray input, NDArray... moreInputs) {
        return squaredNorms(gradient, units, true, inputs(input, moreInputs));
    }

    /**
     * Σ_{t,s} (g_t·g_s)(Σ_k a_{k,t}·a_{k,s}) per unit (U): as {@link #linearLayer} for a weight
     * without a bias (an attention layer's).
     */
    static NDArray weightOnly(NDArray gradient, ClippingUnits units, NDArray input, NDArray... moreInputs) {
        return squaredNorms(gradient, units, false, inputs(input, moreInputs));
    }

    private static NDArray squaredNorms(NDArray gradient, ClippingUnits units, boolean withBias, NDArray[] inputs) {
        NDArray groupedGradient = grouped(gradient, units);
        long inputWidth = 0;
        for (NDArray input : inputs) {
            inputWidth += input.getShape().get(2);
        }
        return NormForm.materialiseLinear(groupedGradient.getShape().get(1), groupedGradient.getShape().get(2), inputWidth)
                ? materialised(groupedGradient, units, withBias, inputs)
                : ghost(groupedGradient, units, withBias, inputs);
    }

    /** The ghost form from the grouped gradient (U, L, n) and the time-major inputs. */
    static NDArray ghost(NDArray groupedGradient, ClippingUnits units, boolean withBias, NDArray... inputs) {
        NDArray inputGrams = null;
        for (NDArray input : inputs) {
            NDArray gram = gram(input, units);
            if (inputGrams == null) {
                inputGrams = gram;
            } else {
                inputGrams.addi(gram);
                gram.close();
            }
        }
        try (NDArray combined = withBias ? inputGrams.addi(1) : inputGrams;
                NDArray gradientGram = groupedGradient.batchMatMul(groupedGradient.transpose(0, 2, 1))) {
            return combined.muli(gradientGram).sum(new int[] {1, 2});
        }
    }

    /** The materialised form from the grouped gradient (U, L, n) and the time-major inputs. */
    static NDArray materialised(NDArray groupedGradient, ClippingUnits units, boolean withBias, NDArray... inputs) {
        NDArray transposed = groupedGradient.transpose(0, 2, 1); // (U, n, L)
        NDArray total = withBias ? groupedGradient.sum(new int[] {1}).square().sum(new int[] {1}) : null;
        for (NDArray input : inputs) {
            try (NDArray weightGradients = transposed.batchMatMul(grouped(input, units)); // (U, n, d)
                    NDArray squares = weightGradients.square()) {
                NDArray sums = squares.sum(new int[] {1, 2});
                total = total == null ? sums : total.addi(sums);
            }
        }
        return total;
    }

    /**
     * Each unit's embedding-table gradient Σ_t e(x_t) de_tᵀ (U, V, E), for a table of {@code vocab}
     * rows looked up at {@code tokens} (T, B) with gradients {@code embeddingGradient} (T, B, E): the
     * one-hot tokens route each position's gradient to its row.
     */
    static NDArray tableGradients(NDArray embeddingGradient, NDArray tokens, ClippingUnits units, int vocab) {
        try (NDArray rows = grouped(tokens.expandDims(2), units).squeeze(2) // (U, L)
                .oneHot(vocab).toType(embeddingGradient.getDataType(), false)) {
            return rows.transpose(0, 2, 1).batchMatMul(grouped(embeddingGradient, units));
        }
    }

    private static NDArray[] inputs(NDArray input, NDArray... moreInputs) {
        NDArray[] all = new NDArray[moreInputs.length + 1];
        all[0] = input;
        System.arraycopy(moreInputs, 0, all, 1, moreInputs.length);
        return all;
    }
}
