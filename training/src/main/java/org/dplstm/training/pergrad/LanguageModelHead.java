package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.ForwardTrace;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelConfig;

/**
 * A language model's head: Linear over the vocabulary at every position, softmax cross-entropy
 * against the next token. Its per-unit squared norm in ghost form over positions (ARCHITECTURE §3.4):
 * ‖Σ_t dl_t [h_t; 1]ᵀ‖² = Σ_{t,s} (dl_t·dl_s)(h_t·h_s + 1), one (T×T) Gram each, never the
 * (B, V, H) per-example gradients; the clipped sum is one matmul over all B·T rows.
 *
 * <p>Tied to the embedding, the table's gradient is G_emb + G_out with G_emb = Σ_t e(x_t) de_tᵀ and
 * G_out = Σ_s dl_s h_sᵀ, and its squared norm is ‖G_emb‖² + ‖G_out‖² + 2⟨G_emb, G_out⟩ (ARCHITECTURE
 * §3.6): the cross term ⟨G_emb, G_out⟩ = Σ_{t,s} dl_s[x_t] (de_t·h_s), in ghost form too. Adding
 * the two squared norms alone would under-count the norm and break the guarantee.
 */
final class LanguageModelHead implements FusedHead {

    private final LstmLanguageModel model;

    LanguageModelHead(LstmLanguageModel model) {
        this.model = model;
    }

    @Override
    public Gradients backward(NDManager work, ForwardTrace trace, Batch batch) {
        ModelConfig config = model.config();
        NDArray mask = trace.layout().predictedPositionMask(work, config.dataType());
        NDArray logitGradient = trace.logits().stopGradient().softmax(2).muli(mask)
                .subi(model.targetWeights(work, trace)); // (T, B, V), zero where nothing is predicted
        NDArray outputGradient = logitGradient.matMul(model.outputWeight(model.parameters()));
        return new Result(logitGradient, trace.headInput().stopGradient(), new NDArray[] {outputGradient});
    }

    private final class Result implements Gradients {
        private final NDArray logitGradient; // (T, B, V)
        private final NDArray headInput; // (T, B, H)
        private final NDArray[] topOutputGradients;

        Result(NDArray logitGradient, NDArray headInput, NDArray[] topOutputGradients) {
            this.logitGradient = logitGradient;
            this.headInput = headInput;
            this.topOutputGradients = topOutputGradients;
        }

        @Override
        public NDArray[] topOutputGradients() {
            return topOutputGradients;
        }

        @Override
        public void addSquaredNorms(NDArray squaredNorms, ClippingUnits units, ForwardTrace trace,
                NDArray embeddingGradient) {
            // weight and bias together: Σ_{t,s} (dl_t·dl_s)(h_t·h_s + 1)
            try (NDArray norms = GhostNorms.linearLayer(logitGradient, units, headInput)) {
                squaredNorms.addi(norms);
            }
            if (model.config().tiedEmbedding()) {
                squaredNorms.addi(crossTerm(units, trace.tokens(), embeddingGradient).muli(2));
            }
        }

        /**
         * ⟨G_emb, G_out⟩ per unit = Σ_{t,s} dl_s[x_t] (de_t·h_s): the token-indexed logit
         * gradients A[t, s] = dl_s[x_t] as e(x)·dlᵀ, times the Gram M[t, s] = de_t·h_s.
         */
        private NDArray crossTerm(ClippingUnits units, NDArray tokens, NDArray embeddingGradient) {
            NDArray groupedLogits = units.regroup(logitGradient.transpose(1, 0, 2));
            NDArray groupedTokens = units.regroup(tokens.transpose().expandDims(2)).squeeze(2);
            NDArray oneHot = groupedTokens.oneHot(model.config().vocabSize()).toType(logitGradient.getDataType(), false);
            NDArray tokenLogits = oneHot.batchMatMul(groupedLogits.transpose(0, 2, 1));
            NDArray groupedEmbedding = units.regroup(embeddingGradient.transpose(1, 0, 2));
            NDArray groupedHidden = units.regroup(headInput.transpose(1, 0, 2));
            NDArray mixed = groupedEmbedding.batchMatMul(groupedHidden.transpose(0, 2, 1));
            return tokenLogits.muli(mixed).sum(new int[] {1, 2});
        }

        @Override
        public void addClippedSums(NDArray[] sums, ForwardTrace trace, NDArray factors) {
            long batch = factors.getShape().get(0);
            long vocab = logitGradient.getShape().get(2);
            NDArray scaled = logitGradient.mul(factors.reshape(1, batch, 1));
            // (c⊙dl)ᵀ h as one matmul over all B·T rows
            NDArray weightSum = scaled.reshape(-1, vocab).transpose().matMul(headInput.reshape(-1, headInput.getShape().get(2)));
            if (model.config().tiedEmbedding()) {
                sums[model.embeddingIndex()].addi(weightSum);
            } else {
                sums[model.outputWeightIndex()] = weightSum;
            }
            sums[model.outputBiasIndex()] = scaled.sum(new int[] {0, 1});
        }
    }
}
