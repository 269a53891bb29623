package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.model.FrozenPart;

/**
 * Per-unit squared norms ‖a⊙g_u‖² of gradients scaled coordinate by coordinate (public
 * preconditioning, ARCHITECTURE §3.11). A scale breaks the ghost identity of {@link GhostNorms}
 * (‖a⊙Σ_t g_t x_tᵀ‖² is not a product of Grams), so each unit's gradient is materialised by one
 * batched matmul, (U, n, L)·(U, L, d) → (U, n, d), then scaled, squared and summed. A frozen
 * parameter adds nothing.
 */
final class ScaledNorms {

    private final ClippingUnits units;
    private final NDList scale;
    private final List<String> names;
    private final FrozenPart frozen;

    /**
     * @param scale one array per parameter, in the model's order and of its parameter's shape
     * @param names the model's parameter names, in that order
     */
    ScaledNorms(ClippingUnits units, NDList scale, List<String> names, FrozenPart frozen) {
        if (scale.size() != names.size()) {
            throw new IllegalArgumentException("the scale has " + scale.size() + " arrays for " + names.size()
                    + " parameters");
        }
        this.units = units;
        this.scale = scale;
        this.names = names;
        this.frozen = frozen;
    }

    /** Adds ‖a ⊙ Σ_t g_t x_tᵀ‖² per unit for the weight at {@code index}: g (T, B, n), x (T, B, d), time-major. */
    void addWeight(NDArray squaredNorms, int index, NDArray gradient, NDArray input) {
        if (frozen.freezes(names.get(index))) {
            return;
        }
        NDArray perUnit = grouped(gradient).transpose(0, 2, 1).batchMatMul(grouped(input)); // (U, n, d)
        addScaled(squaredNorms, perUnit, index);
    }

    /** Adds ‖a ⊙ Σ_t g_t‖² per unit for the bias at {@code index}: g (T, B, n), time-major. */
    void addBias(NDArray squaredNorms, int index, NDArray gradient) {
        if (frozen.freezes(names.get(index))) {
            return;
        }
        addScaled(squaredNorms, grouped(gradient).sum(new int[] {1}), index); // (U, n)
    }

    /**
     * Adds ‖a ⊙ Σ_t e(x_t) de_tᵀ‖² per unit for the embedding table at {@code index}, looked up at
     * {@code tokens} (T, B) with gradients {@code embeddingGradient} (T, B, E).
     */
    void addEmbedding(NDArray squaredNorms, int index, NDArray embeddingGradient, NDArray tokens) {
        if (frozen.freezes(names.get(index))) {
            return;
        }
        int vocab = Math.toIntExact(scale.get(index).getShape().get(0));
        addScaled(squaredNorms, embeddingGradients(embeddingGradient, tokens, units, vocab), index);
    }

    private NDArray grouped(NDArray timeMajor) {
        return GhostNorms.grouped(timeMajor, units);
    }

    /**
     * Each unit's embedding-table gradient Σ_t e(x_t) de_tᵀ (U, V, E), for a table of {@code vocab}
     * rows looked up at {@code tokens} (T, B) with gradients {@code embeddingGradient} (T, B, E): the
     * one-hot tokens route each position's gradient to its row.
     */
    static NDArray embeddingGradients(NDArray embeddingGradient, NDArray tokens, ClippingUnits units, int vocab) {
        NDArray rows = GhostNorms.grouped(tokens.expandDims(2), units).squeeze(2) // (U, L)
                .oneHot(vocab).toType(embeddingGradient.getDataType(), false);
        return rows.transpose(0, 2, 1).batchMatMul(GhostNorms.grouped(embeddingGradient, units));
    }

    private void addScaled(NDArray squaredNorms, NDArray perUnit, int index) {
        NDArray a = scale.get(index).toType(perUnit.getDataType(), false);
        Shape shape = perUnit.getShape();
        int[] axes = new int[shape.dimension() - 1];
        for (int k = 0; k < axes.length; k++) {
            axes[k] = k + 1;
        }
        try (NDArray scaled = perUnit.mul(a)) {
            squaredNorms.addi(scaled.square().sum(axes));
        }
    }
}
