package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import org.dplstm.training.mechanism.ghost.ClippingUnits;

/**
 * A Linear layer over the vocabulary applied at every position (a language model's head, an
 * encoder-decoder's output layer), seen through its logit gradients dl (T, B, V) and its inputs
 * h (T, B, d), both time-major (ARCHITECTURE §3.4). Its per-unit squared norm in ghost form over
 * positions is Σ_{t,s} (dl_t·dl_s)(h_t·h_s + 1), or the (U, V, d) per-unit gradients materialised
 * where that is cheaper and no larger ({@link GhostNorms}); its clipped sum is one matmul over all
 * B·T rows.
 *
 * <p>Tied to an embedding table, the table's gradient is G_emb + G_out with G_emb = Σ_t e(x_t)
 * de_tᵀ and G_out = Σ_s dl_s h_sᵀ, and its squared norm is ‖G_emb‖² + ‖G_out‖² + 2⟨G_emb, G_out⟩
 * (ARCHITECTURE §3.6): the cross term ⟨G_emb, G_out⟩ = Σ_{t,s} dl_s[x_t] (de_t·h_s), in ghost form
 * too. Adding the two squared norms alone would under-count the norm and break the guarantee.
 */
final class OutputLayerGradients {

    private final NDArray logitGradient; // (T, B, V)
    private final NDArray input; // (T, B, d)

    OutputLayerGradients(NDArray logitGradient, NDArray input) {
        this.logitGradient = logitGradient;
        this.input = input;
    }

    /** Weight and bias together, per unit: Σ_{t,s} (dl_t·dl_s)(h_t·h_s + 1). */
    NDArray squaredNorms(ClippingUnits units) {
        return GhostNorms.linearLayer(logitGradient, units, input);
    }

    /**
     * ⟨G_emb, G_out⟩ per unit = Σ_{t,s} dl_s[x_t] (de_t·h_s) for a table looked up at {@code tokens}
     * (T, B) with gradients {@code embeddingGradient} (T, B, E = d): the token-indexed logit
     * gradients A[t, s] = dl_s[x_t] as e(x)·dlᵀ, times the Gram M[t, s] = de_t·h_s.
     */
    NDArray tiedCrossTerm(ClippingUnits units, NDArray tokens, NDArray embeddingGradient) {
        NDArray groupedLogits = units.regroup(logitGradient.transpose(1, 0, 2));
        NDArray groupedTokens = units.regroup(tokens.transpose().expandDims(2)).squeeze(2);
        int vocab = Math.toIntExact(logitGradient.getShape().get(2));
        NDArray oneHot = groupedTokens.oneHot(vocab).toType(logitGradient.getDataType(), false);
        NDArray tokenLogits = oneHot.batchMatMul(groupedLogits.transpose(0, 2, 1));
        NDArray groupedEmbedding = units.regroup(embeddingGradient.transpose(1, 0, 2));
        NDArray groupedInput = units.regroup(input.transpose(1, 0, 2));
        NDArray mixed = groupedEmbedding.batchMatMul(groupedInput.transpose(0, 2, 1));
        return tokenLogits.muli(mixed).sum(new int[] {1, 2});
    }

    /** Adds each unit's ‖a⊙G_out‖² + ‖a⊙g_bias‖² for the weight and bias at the given indices (ARCHITECTURE §3.11). */
    void addScaledSquaredNorms(NDArray squaredNorms, ScaledNorms norms, int weightIndex, int biasIndex) {
        norms.addWeight(squaredNorms, weightIndex, logitGradient, input);
        norms.addBias(squaredNorms, biasIndex, logitGradient);
    }

    /** The clipped sums {weight (V, d), bias (V)} with per-example factors (B): (c⊙dl)ᵀ h over B·T rows. */
    NDArray[] clippedSums(NDArray factors) {
        long batch = factors.getShape().get(0);
        long vocab = logitGradient.getShape().get(2);
        NDArray scaled = logitGradient.mul(factors.reshape(1, batch, 1));
        NDArray weightSum = scaled.reshape(-1, vocab).transpose().matMul(input.reshape(-1, input.getShape().get(2)));
        return new NDArray[] {weightSum, scaled.sum(new int[] {0, 1})};
    }
}
