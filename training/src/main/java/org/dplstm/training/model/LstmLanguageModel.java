package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.dplstm.training.recurrent.RecurrentCell;

/**
 * Embedding → stacked LSTM or GRU → Linear over the vocabulary at every position: a next-token language
 * model on DJL's PyTorch engine. Position t of an example predicts its token t + 1; the loss is
 * the summed cross-entropy over every real position that has a next token (t < len − 1), so an
 * example of length 1 contributes nothing. With {@link ModelConfig#tiedEmbedding()} the output
 * weight is the embedding table (Press and Wolf 2017). Token id 0 is padding.
 *
 * <p>Parameter order: embedding (V, E); per layer the cell's weights and biases ({@code
 * ParameterLayout}); output weight (V, H) unless tied; output bias (V).
 */
public final class LstmLanguageModel extends ParameterizedLstmStack {

    private LstmLanguageModel(ModelConfig config, NDManager manager, NDList parameters) {
        super(config, ModelTask.LANGUAGE_MODEL, "a language model", manager, parameters);
    }

    /** A new model with seeded initial weights (as {@link LstmClassifier#create}). */
    public static LstmLanguageModel create(ModelConfig config, NDManager parent, long seed) {
        NDManager manager = parent.newSubManager();
        return new LstmLanguageModel(config, manager, ParameterLayout.initial(config, manager, seed));
    }

    /** Wraps arrays already in a manager owned by the new model (model files). */
    static LstmLanguageModel fromParameters(ModelConfig config, NDManager manager, NDList params) {
        return new LstmLanguageModel(config, manager, inDataType(config, params));
    }

    /** The output weight (V, H) in {@code params}: the embedding table when tied. */
    public NDArray outputWeight(NDList params) {
        return params.get(config().tiedEmbedding() ? embeddingIndex() : outputWeightIndex());
    }

    @Override
    public ForwardTrace forward(NDManager work, Batch batch, NDList params, boolean training, NDArray dropoutScale,
            LstmDirectionRunner runner) {
        ForwardTrace trace = LstmStack.forward(config(), work, batch, params, runner);
        trace.headInput = trace.topOutputs();
        NDArray transposed = outputWeight(params).transpose();
        transposed.attach(work); // a view, but owned by the parameters' manager unless moved
        trace.logits = trace.headInput.matMul(transposed).add(params.get(outputBiasIndex()));
        return trace;
    }

    private ForwardTrace forward(NDManager work, Batch batch, NDList params, boolean forBackward) {
        return forward(work, batch, params, false, null,
                (layer, direction, input, weights) -> RecurrentCell.of(config().cell()).run(input, weights, forBackward));
    }

    /** The next token of every position (T, B) int64, 0 past the end (masked out by the loss). */
    public static NDArray nextTokens(ForwardTrace trace) {
        NDArray tokens = trace.tokens();
        long batch = tokens.getShape().get(1);
        NDArray padding = tokens.getManager().zeros(new Shape(1, batch), DataType.INT64);
        return tokens.get(new NDIndex("1:")).concat(padding, 0);
    }

    /** One-hot next tokens (T, B, V) times the predicted-position mask: the loss's weights. */
    public NDArray targetWeights(NDManager work, ForwardTrace trace) {
        NDArray mask = trace.layout().predictedPositionMask(work, config().dataType());
        return nextTokens(trace).oneHot(config().vocabSize()).toType(config().dataType(), false).muli(mask);
    }

    /**
     * Summed next-token cross-entropy of a trace's logits (T, B, V) over its predicted positions:
     * the log-probability of each next token gathered, not a one-hot product, so the plain step
     * the DP step is compared with does no (T, B, V) work beyond the softmax.
     */
    private NDArray lossOf(NDManager work, ForwardTrace trace) {
        NDArray mask = trace.layout().predictedPositionMask(work, config().dataType());
        NDArray picked = trace.logits().logSoftmax(2).gather(nextTokens(trace).expandDims(2), 2);
        return picked.mul(mask).sum().neg();
    }

    /** Per-token next-token distributions as logits (B, T, V), batch-major. */
    @Override
    public NDArray logits(NDManager scope, Batch batch) {
        if (batch.size() == 0) {
            return scope.zeros(new Shape(0, batch.tokens().getShape().get(1), config().vocabSize()), config().dataType());
        }
        try (NDManager work = scope.newSubManager()) {
            NDArray logits = forward(work, batch, parameters(), false).logits().transpose(1, 0, 2);
            logits.attach(scope);
            return logits;
        }
    }

    @Override
    public NDArray lossSum(NDManager scope, Batch batch) {
        return AutogradGradients.lossSum(scope, parameters(), batch, config().dataType(),
                (work, p) -> lossOf(work, forward(work, batch, p, false)));
    }

    /** Predicted positions: Σ (len − 1); the validation loss is per token. */
    @Override
    public long predictionCount(Batch batch) {
        if (batch.size() == 0) {
            return 0;
        }
        return SequenceLayout.of(batch.lengths(), Math.toIntExact(batch.tokens().getShape().get(1)))
                .predictedPositions();
    }

    /** Predicted positions whose most probable next token is the real one. */
    @Override
    public long correctCount(NDManager scope, Batch batch) {
        if (batch.size() == 0) {
            return 0;
        }
        try (NDManager work = scope.newSubManager()) {
            ForwardTrace trace = forward(work, batch, parameters(), false);
            return trace.layout().correctPredictions(work, trace.logits(), nextTokens(trace));
        }
    }

    /**
     * The non-private gradient: plain autograd through the engine's fused cell, every parameter
     * a leaf (a tied table gets both uses' gradients added by autograd).
     */
    @Override
    public NDList gradientSum(NDManager scope, Batch batch) {
        return gradientSum(scope, batch, null);
    }

    /** As {@link #gradientSum(NDManager, Batch)}; a language model has no dropout, so the scale must be null. */
    @Override
    public NDList gradientSum(NDManager scope, Batch batch, NDArray dropoutScale) {
        if (dropoutScale != null) {
            throw new IllegalArgumentException("dropout scale must be null for a language model (no dropout)");
        }
        return AutogradGradients.of(scope, parameters(), batch,
                (work, leaves) -> lossOf(work, forward(work, batch, leaves, true)));
    }
}
