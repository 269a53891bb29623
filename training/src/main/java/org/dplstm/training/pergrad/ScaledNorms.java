package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.BitSet;
import java.util.List;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.model.FrozenPart;

/**
 * Per-unit squared norms ‖a⊙g_u‖² of gradients scaled coordinate by coordinate (public
 * preconditioning, ARCHITECTURE §3.11). A scale breaks the ghost identity of {@link GhostNorms}
 * (‖a⊙Σ_t g_t x_tᵀ‖² is not a product of Grams), so each unit's gradient is materialised by one
 * batched matmul, (U, n, L)·(U, L, d) → (U, n, d), then scaled, squared and summed. A frozen
 * parameter adds nothing. It records which parameters it was given, so a caller can check that
 * no trained parameter was left out of the norm ({@link #checkCovers}).
 */
final class ScaledNorms {

    private final ClippingUnits units;
    private final NDList scale;
    private final List<String> names;
    private final FrozenPart frozen;
    private final BitSet visited = new BitSet();

    /**
     * @param scale one array per parameter, in the model's order, of its parameter's shape and type
     * @param parameters the model's parameters, in that order
     * @param names their names
     */
    ScaledNorms(ClippingUnits units, NDList scale, NDList parameters, List<String> names, FrozenPart frozen) {
        if (scale.size() != parameters.size()) {
            throw new IllegalArgumentException("the scale has " + scale.size() + " arrays for " + parameters.size()
                    + " parameters");
        }
        for (int i = 0; i < scale.size(); i++) {
            NDArray a = scale.get(i);
            NDArray p = parameters.get(i);
            if (!a.getShape().equals(p.getShape()) || a.getDataType() != p.getDataType()) {
                throw new IllegalArgumentException("the scale of " + names.get(i) + " must be " + p.getDataType()
                        + " " + p.getShape() + " like the parameter, was " + a.getDataType() + " " + a.getShape());
            }
        }
        this.units = units;
        this.scale = scale;
        this.names = names;
        this.frozen = frozen;
    }

    /** Adds ‖a ⊙ Σ_t g_t x_tᵀ‖² per unit for the weight at {@code index}: g (T, B, n), x (T, B, d), time-major. */
    void addWeight(NDArray squaredNorms, int index, NDArray gradient, NDArray input) {
        if (skips(index)) {
            return;
        }
        try (NDArray perUnit = grouped(gradient).transpose(0, 2, 1).batchMatMul(grouped(input))) { // (U, n, d)
            addScaled(squaredNorms, perUnit, index);
        }
    }

    /** Adds ‖a ⊙ Σ_t g_t‖² per unit for the bias at {@code index}: g (T, B, n), time-major. */
    void addBias(NDArray squaredNorms, int index, NDArray gradient) {
        if (skips(index)) {
            return;
        }
        try (NDArray perUnit = grouped(gradient).sum(new int[] {1})) { // (U, n)
            addScaled(squaredNorms, perUnit, index);
        }
    }

    /**
     * Adds ‖a ⊙ Σ_t e(x_t) de_tᵀ‖² per unit for the embedding table at {@code index}, looked up at
     * {@code tokens} (T, B) with gradients {@code embeddingGradient} (T, B, E).
     */
    void addEmbedding(NDArray squaredNorms, int index, NDArray embeddingGradient, NDArray tokens) {
        if (skips(index)) {
            return;
        }
        int vocab = Math.toIntExact(scale.get(index).getShape().get(0));
        try (NDArray perUnit = GhostNorms.tableGradients(embeddingGradient, tokens, units, vocab)) { // (U, V, E)
            addScaled(squaredNorms, perUnit, index);
        }
    }

    /** Fails unless every trained (unfrozen) parameter was given: one left out would be summed unclipped. */
    void checkCovers() {
        for (int i = 0; i < names.size(); i++) {
            if (!visited.get(i) && !frozen.freezes(names.get(i))) {
                throw new IllegalStateException("no scaled norm was taken of trained parameter " + names.get(i));
            }
        }
    }

    private boolean skips(int index) {
        visited.set(index);
        return frozen.freezes(names.get(index));
    }

    private NDArray grouped(NDArray timeMajor) {
        return GhostNorms.grouped(timeMajor, units);
    }

    private void addScaled(NDArray squaredNorms, NDArray perUnit, int index) {
        int[] axes = new int[perUnit.getShape().dimension() - 1];
        for (int k = 0; k < axes.length; k++) {
            axes[k] = k + 1;
        }
        try (NDArray scaled = perUnit.mul(scale.get(index)); NDArray squares = scaled.square()) {
            squaredNorms.addi(squares.sum(axes));
        }
    }
}
