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
 * against the next token; its norms and sums are an {@link OutputLayerGradients}' (ARCHITECTURE §3.4),
 * tied to the embedding with the exact cross term (ARCHITECTURE §3.6).
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
        return new Result(new OutputLayerGradients(logitGradient, trace.headInput().stopGradient()),
                new NDArray[] {outputGradient});
    }

    private final class Result implements Gradients {
        private final OutputLayerGradients output;
        private final NDArray[] topOutputGradients;

        Result(OutputLayerGradients output, NDArray[] topOutputGradients) {
            this.output = output;
            this.topOutputGradients = topOutputGradients;
        }

        @Override
        public NDArray[] topOutputGradients() {
            return topOutputGradients;
        }

        @Override
        public void addSquaredNorms(NDArray squaredNorms, ClippingUnits units, ForwardTrace trace,
                NDArray embeddingGradient) {
            try (NDArray norms = output.squaredNorms(units)) {
                squaredNorms.addi(norms);
            }
            if (model.config().tiedEmbedding()) {
                squaredNorms.addi(output.tiedCrossTerm(units, trace.tokens(), embeddingGradient).muli(2));
            }
        }

        @Override
        public void addScaledSquaredNorms(NDArray squaredNorms, ScaledNorms norms) {
            if (model.config().tiedEmbedding()) {
                // the tied table's norm needs both uses' gradients summed before the scale
                throw new UnsupportedOperationException("a tied output layer has no scaled norms");
            }
            output.addScaledSquaredNorms(squaredNorms, norms, model.outputWeightIndex(), model.outputBiasIndex());
        }

        @Override
        public void addClippedSums(NDArray[] sums, ForwardTrace trace, NDArray factors) {
            NDArray[] weightAndBias = output.clippedSums(factors);
            if (model.config().tiedEmbedding()) {
                sums[model.embeddingIndex()].addi(weightAndBias[0]);
            } else {
                sums[model.outputWeightIndex()] = weightAndBias[0];
            }
            sums[model.outputBiasIndex()] = weightAndBias[1];
        }
    }
}
