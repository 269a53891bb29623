package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.ForwardTrace;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.ModelConfig;

/**
 * A classifier's head: optional LayerNorm, dropout and Linear over each example's features (its
 * last real state, or the mean of its real states). Its gradients are one row per example, so the
 * norms are closed forms: ‖dlogits‖²(‖z‖² + 1) for the output layer (a ghost Gram over a unit's
 * examples in user mode).
 */
final class ClassifierHead implements FusedHead {

    private final LstmClassifier model;

    ClassifierHead(LstmClassifier model) {
        this.model = model;
    }

    /** Softmax cross-entropy, output layer, dropout and LayerNorm backward, in closed form. */
    @Override
    public Gradients backward(NDManager work, ForwardTrace trace, Batch batch) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        NDArray logits = trace.logits();
        NDArray logitGradient = logits.softmax(1).sub(LstmClassifier.oneHot(batch.labels(), logits));
        NDArray headGradient = logitGradient.matMul(params.get(model.outputIndex()));
        if (trace.dropoutScale() != null) {
            headGradient = headGradient.mul(trace.dropoutScale());
        }
        NDArray featureGradient = headGradient;
        NDArray scaleGradient = null;
        if (config.layerNorm()) {
            scaleGradient = headGradient;
            NDArray normalizedGradient = headGradient.mul(params.get(model.layerNormIndex()));
            NDArray normalized = trace.normalized();
            NDArray meanGradient = normalizedGradient.mean(new int[] {1}, true);
            NDArray meanProjection = normalizedGradient.mul(normalized).mean(new int[] {1}, true);
            featureGradient = normalizedGradient.sub(meanGradient)
                    .sub(normalized.mul(meanProjection))
                    .mul(trace.inverseStd());
        }
        // a frozen encoder's cached features have no states to send the gradient to
        NDArray[] topOutputGradients = trace.layout() == null ? new NDArray[0]
                : topOutputGradients(work, trace, featureGradient.stopGradient());
        return new Result(logitGradient, scaleGradient, topOutputGradients);
    }

    /**
     * ∂L/∂h_t of the top layer per direction (T, B, H): the feature gradient times each state's
     * readout weight (one at the last position, or 1/len at every real one).
     */
    private NDArray[] topOutputGradients(NDManager work, ForwardTrace trace, NDArray featureGradient) {
        ModelConfig config = model.config();
        long hidden = config.hiddenSize();
        NDArray weights = model.readoutWeights(work, trace.layout());
        NDArray[] outputGradients = new NDArray[config.directions()];
        for (int d = 0; d < config.directions(); d++) {
            NDArray part = featureGradient.get(new NDIndex(":, {}:{}", d * hidden, (d + 1) * hidden));
            outputGradients[d] = weights.mul(part.expandDims(0));
        }
        return outputGradients;
    }

    private final class Result implements Gradients {
        private final NDArray logitGradient; // (B, K)
        private final NDArray scaleGradient; // (B, F): ∂L/∂(LayerNorm output); null without LN
        private final NDArray[] topOutputGradients;

        Result(NDArray logitGradient, NDArray scaleGradient, NDArray[] topOutputGradients) {
            this.logitGradient = logitGradient;
            this.scaleGradient = scaleGradient;
            this.topOutputGradients = topOutputGradients;
        }

        @Override
        public NDArray[] topOutputGradients() {
            return topOutputGradients;
        }

        @Override
        public void addSquaredNorms(NDArray squaredNorms, ClippingUnits units, ForwardTrace trace,
                NDArray embeddingGradient) {
            // output layer: a language model's head with one position, Σ (dl_i·dl_j)(z_i·z_j + 1)
            // over the unit's examples
            try (NDArray norms = GhostNorms.linearLayer(
                    logitGradient.expandDims(0), units, trace.headInput().expandDims(0))) {
                squaredNorms.addi(norms);
            }
            if (scaleGradient != null) {
                // LayerNorm: dγ_i = dy_i ⊙ x̂_i, dβ_i = dy_i, summed within the unit
                NDArray gammaPerUnit =
                        units.regroup(scaleGradient.mul(trace.normalized()).expandDims(1)).sum(new int[] {1});
                NDArray betaPerUnit = units.regroup(scaleGradient.expandDims(1)).sum(new int[] {1});
                squaredNorms.addi(gammaPerUnit.square().sum(new int[] {1}));
                squaredNorms.addi(betaPerUnit.square().sum(new int[] {1}));
            }
        }

        @Override
        public void addClippedSums(NDArray[] sums, ForwardTrace trace, NDArray factors) {
            NDArray rowFactors = factors.reshape(factors.getShape().get(0), 1);
            if (scaleGradient != null) {
                NDArray scaled = scaleGradient.mul(rowFactors);
                sums[model.layerNormIndex()] = scaled.mul(trace.normalized()).sum(new int[] {0});
                sums[model.layerNormIndex() + 1] = scaled.sum(new int[] {0});
            }
            NDArray scaledLogits = logitGradient.mul(rowFactors);
            sums[model.outputWeightIndex()] = scaledLogits.transpose().matMul(trace.headInput());
            sums[model.outputBiasIndex()] = scaledLogits.sum(new int[] {0});
        }
    }
}
