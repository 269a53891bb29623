package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.List;
import org.dplstm.training.recurrent.EngineLstm;

/**
 * An attentional LSTM encoder-decoder on DJL's PyTorch engine (Luong, Pham and Manning 2015: global
 * attention with the dot or general score, an attentional hidden layer; no input feeding): the
 * source embedding and stacked (optionally bidirectional) LSTM of a classifier encode the source;
 * a unidirectional LSTM decoder of F = H × directions units per layer, each layer starting from
 * its encoder layer's final states (cell state zero), reads the target shifted right; attention
 * over the encoder's top states and W_c give h̃_t = tanh(W_c [c_t; h_t]); a Linear layer over the
 * target vocabulary (optionally the target embedding itself) predicts each next target token.
 * The loss is the summed cross-entropy over every target position that has a next token, as a
 * language model's. Token id 0 is padding on both sides. Batches arrive packed ({@link PairBatch}).
 *
 * <p>Parameter order: see {@link EncoderDecoderLayout}.
 */
public final class LstmEncoderDecoder implements TextModel {

    /** The additive score of a padded source position: exp underflows to exactly 0 after the softmax. */
    static final double MASKED_SCORE = -1e9;

    // The embeddings' initial scales. A run's source scale follows its source token level, mapped in one
    // place, Seq2SeqTrainer.sourceEmbeddingInit (not here: TokenLevel's package depends on this one).

    /**
     * Half-width of a word-level source embedding's initial uniform range. A classifier's ±0.1
     * leaves the encoder's states almost independent of the source at initialization (the LSTM's
     * input is small next to its forget-gate bias), and a DP reply model then often learns the
     * replies' shared wording and never which ticket it answers. The encoder's first
     * pre-activations W_ih x have standard deviation a·√E / (3·√H) for a ±a embedding and ±1/√H
     * weights: 0.71 at ±3 with the default E = H / 2, 0.24 at ±1 and 0.02 at ±0.1
     * (docs/ARCHITECTURE.md §3.10).
     */
    public static final double WORD_SOURCE_EMBEDDING_INIT = 3.0;

    /**
     * Half-width of a character-level source embedding's initial range: a private character model
     * from random weights reached perplexity 4.69 at ±1 against 5.85 at ±3 (docs/ARCHITECTURE.md §3.10).
     */
    public static final double CHARACTER_SOURCE_EMBEDDING_INIT = 1.0;

    /**
     * Half-width of an untied target embedding's initial range (a word-level source's ±3 was
     * measured on the source side only); a tied one keeps the output layer's ±0.1, as a classifier's.
     */
    static final double TARGET_EMBEDDING_INIT = 1.0;

    private final ModelConfig config;
    private final NDManager manager;
    private final NDList parameters;
    private final List<String> names;

    private LstmEncoderDecoder(ModelConfig config, NDManager manager, NDList parameters) {
        if (config.task() != ModelTask.SEQ2SEQ) {
            throw new IllegalArgumentException("task must be seq2seq for an encoder-decoder, was " + config.task());
        }
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.names = Collections.unmodifiableList(EncoderDecoderLayout.names(config));
        EncoderDecoderLayout.check(config, parameters, names);
    }

    /**
     * A new model with seeded initial weights (see {@link EncoderDecoderLayout#initial}), the source
     * embedding uniform in ±{@code sourceEmbeddingInit}: {@link #WORD_SOURCE_EMBEDDING_INIT} for a
     * word-level source, {@link #CHARACTER_SOURCE_EMBEDDING_INIT} for a character-level one (a run's
     * trainer picks it from its source token level with {@code Seq2SeqTrainer.sourceEmbeddingInit}).
     */
    public static LstmEncoderDecoder create(ModelConfig config, NDManager parent, long seed, double sourceEmbeddingInit) {
        NDManager manager = parent.newSubManager();
        return new LstmEncoderDecoder(config, manager,
                EncoderDecoderLayout.initial(config, manager, seed, sourceEmbeddingInit));
    }

    /** Wraps arrays already in a manager owned by the new model (model files). */
    static LstmEncoderDecoder fromParameters(ModelConfig config, NDManager manager, NDList params) {
        return new LstmEncoderDecoder(config, manager, ParameterizedLstmStack.inDataType(config, params));
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public NDList parameters() {
        return parameters;
    }

    @Override
    public List<String> parameterNames() {
        return names;
    }

    public int sourceEmbeddingIndex() {
        return 0;
    }

    /** Index of an encoder layer's and direction's W_ih; W_hh and the bias follow it. */
    public int encoderLstmIndex(int layer, int direction) {
        return EncoderDecoderLayout.encoderLstmIndex(config, layer, direction);
    }

    public int targetEmbeddingIndex() {
        return EncoderDecoderLayout.targetEmbeddingIndex(config);
    }

    /** Index of a decoder layer's W_ih; W_hh and the bias follow it. */
    public int decoderLstmIndex(int layer) {
        return EncoderDecoderLayout.decoderLstmIndex(config, layer);
    }

    /** Index of the general score's W_a, or -1 for the dot score. */
    public int attentionIndex() {
        return EncoderDecoderLayout.attentionIndex(config);
    }

    /** Index of the attentional layer's W_c. */
    public int combineIndex() {
        return EncoderDecoderLayout.combineIndex(config);
    }

    /** Index of the output weight, or -1 when it is the target embedding. */
    public int outputWeightIndex() {
        return EncoderDecoderLayout.outputWeightIndex(config);
    }

    public int outputBiasIndex() {
        return EncoderDecoderLayout.outputBiasIndex(config);
    }

    /** The output weight (V_t, F) in {@code params}: the target embedding when tied. */
    public NDArray outputWeight(NDList params) {
        return params.get(config.tiedEmbedding() ? targetEmbeddingIndex() : outputWeightIndex());
    }

    /** Runs one decoder layer over a time-major input (T, B, in) from an initial hidden state (B, F). */
    @FunctionalInterface
    public interface DecoderLayerRunner {
        NDArray run(int layer, NDArray input, NDArray inputWeight, NDArray recurrentWeight, NDArray bias,
                NDArray initialHidden);
    }

    /** The engine's fused LSTM for the encoder's directions. */
    private static LstmDirectionRunner engineEncoder(boolean forBackward) {
        return (layer, direction, input, weights) -> EngineLstm.run(input, weights.inputWeight(),
                weights.recurrentWeight(), weights.inputBias(), weights.recurrentBias(), forBackward);
    }

    /** The engine's fused LSTM for the decoder's layers. */
    private static DecoderLayerRunner engineDecoder(boolean forBackward) {
        return (layer, input, inputWeight, recurrentWeight, bias, initialHidden) ->
                EngineLstm.runFrom(input, inputWeight, recurrentWeight, bias, null, initialHidden, forBackward);
    }

    /**
     * Runs the encoder over {@code source} (each direction by {@code runner}) and prepares what
     * attention needs. Arrays belong to {@code work}.
     */
    public EncodedSource encode(NDManager work, Batch source, NDList params, LstmDirectionRunner runner) {
        ForwardTrace encoder = LstmStack.forward(config, work, source, params, runner);
        NDArray states = encoder.topOutputs().transpose(1, 0, 2);
        NDArray keys = config.attention() == AttentionScore.GENERAL
                ? states.matMul(transposed(work, params.get(attentionIndex())))
                : states;
        SequenceLayout layout = encoder.layout();
        NDArray lastRows = layout.lastRows(work);
        NDArray[] initialHidden = new NDArray[config.layers()];
        for (int layer = 0; layer < config.layers(); layer++) {
            NDList finals = new NDList();
            for (int direction = 0; direction < config.directions(); direction++) {
                // a direction's last step over real tokens is at len − 1 in its own time order
                finals.add(encoder.output(layer, direction).reshape(-1, config.hiddenSize())
                        .get(new NDIndex("{}", lastRows)));
            }
            initialHidden[layer] = finals.size() == 1 ? finals.get(0) : NDArrays.concat(finals, 1);
        }
        return new EncodedSource(encoder, states, keys, maskBias(work, layout), initialHidden);
    }

    /** The encoder over plain (unpacked) source batches with the engine's LSTM, for decoding (no autograd). */
    public EncodedSource encode(NDManager work, Batch source) {
        return encode(work, source, parameters, engineEncoder(false));
    }

    /** (B, 1, S): 0 at each example's real source positions, {@link #MASKED_SCORE} on padding. */
    private NDArray maskBias(NDManager work, SequenceLayout layout) {
        int batch = layout.batchSize();
        int steps = layout.steps();
        double[] bias = new double[batch * steps];
        for (int b = 0; b < batch; b++) {
            for (long s = layout.length(b); s < steps; s++) {
                bias[b * steps + (int) s] = MASKED_SCORE;
            }
        }
        return work.create(bias, new Shape(batch, 1, steps)).toType(config.dataType(), false);
    }

    /**
     * Attention, the attentional layer and the output layer over decoder top states (T, B, F):
     * score e_ts = h_t·key_s (masked), α = softmax_s(e), c_t = Σ_s α_ts h̄_s, h̃_t = tanh(W_c [c_t; h_t]),
     * logits W_o h̃_t + b.
     */
    public Attention attend(NDManager work, EncodedSource source, NDArray decoderStates, NDList params) {
        NDArray queries = decoderStates.transpose(1, 0, 2);
        NDArray scores = queries.batchMatMul(source.keys().transpose(0, 2, 1)).add(source.maskBias());
        NDArray weights = scores.softmax(2);
        NDArray context = weights.batchMatMul(source.states());
        NDArray combined = context.concat(queries, 2).transpose(1, 0, 2);
        NDArray attentional = combined.matMul(transposed(work, params.get(combineIndex()))).tanh();
        NDArray logits = attentional.matMul(transposed(work, outputWeight(params))).add(params.get(outputBiasIndex()));
        return new Attention(weights, context, attentional, logits);
    }

    /**
     * The forward pass over a batch of pairs with the encoder's directions run by {@code
     * encoderRunner} and the decoder's layers by {@code decoderRunner}, with the given parameters
     * (the model's own, or autograd leaves). Arrays belong to {@code work}.
     */
    public EncoderDecoderTrace forward(NDManager work, PairBatch pairs, NDList params, LstmDirectionRunner encoderRunner,
            DecoderLayerRunner decoderRunner) {
        EncodedSource source = encode(work, pairs.source(), params, encoderRunner);
        Batch target = pairs.target();
        SequenceLayout layout = SequenceLayout.of(target.lengths(), Math.toIntExact(target.tokens().getShape().get(1)));
        NDArray tokens = target.tokens().toType(DataType.INT64, false).transpose();
        tokens.attach(work);
        LstmStack.checkTokens(config.targetVocabSize(), tokens);
        NDArray embedded = LstmStack.embed(params.get(targetEmbeddingIndex()), tokens);
        embedded.attach(work); // else it and everything computed from it would stay in the parameters' manager
        NDArray[] inputs = new NDArray[config.layers()];
        NDArray[] outputs = new NDArray[config.layers()];
        NDArray layerInput = embedded;
        for (int layer = 0; layer < config.layers(); layer++) {
            int index = decoderLstmIndex(layer);
            inputs[layer] = layerInput;
            outputs[layer] = decoderRunner.run(layer, layerInput, params.get(index), params.get(index + 1),
                    params.get(index + 2), source.initialHidden(layer));
            layerInput = outputs[layer];
        }
        Attention attention = attend(work, source, layerInput, params);
        return new EncoderDecoderTrace(source, layout, tokens, embedded, inputs, outputs, attention);
    }

    private EncoderDecoderTrace forward(NDManager work, Batch batch, NDList params, boolean forBackward) {
        return forward(work, PairBatch.unpack(work, batch), params, engineEncoder(forBackward),
                engineDecoder(forBackward));
    }

    /** One-hot next target tokens (T, B, V) times the predicted-position mask: the loss's weights. */
    public NDArray targetWeights(NDManager work, EncoderDecoderTrace trace) {
        NDArray mask = trace.targetLayout().predictedPositionMask(work, config.dataType());
        return trace.nextTargetTokens().oneHot(config.targetVocabSize()).toType(config.dataType(), false).muli(mask);
    }

    /** Summed next-token cross-entropy over the predicted target positions (the log-probabilities gathered). */
    private NDArray lossOf(NDManager work, EncoderDecoderTrace trace) {
        NDArray mask = trace.targetLayout().predictedPositionMask(work, config.dataType());
        NDArray picked = trace.logits().logSoftmax(2).gather(trace.nextTargetTokens().expandDims(2), 2);
        return picked.mul(mask).sum().neg();
    }

    /** Next-target-token distributions as logits (B, T, V), batch-major, for packed pairs. */
    @Override
    public NDArray logits(NDManager scope, Batch batch) {
        if (batch.size() == 0) {
            return scope.zeros(new Shape(0, 1, config.targetVocabSize()), config.dataType());
        }
        try (NDManager work = scope.newSubManager()) {
            NDArray logits = forward(work, batch, parameters, false).logits().transpose(1, 0, 2);
            logits.attach(scope);
            return logits;
        }
    }

    @Override
    public NDArray lossSum(NDManager scope, Batch batch) {
        return AutogradGradients.lossSum(scope, parameters, batch, config.dataType(),
                (work, p) -> lossOf(work, forward(work, batch, p, false)));
    }

    /** Predicted target positions: Σ (target length − 1); the validation loss is per target token. */
    @Override
    public long predictionCount(Batch batch) {
        if (batch.size() == 0) {
            return 0;
        }
        long[] lengths = batch.lengths().toType(DataType.INT64, false).toLongArray();
        long[] sourceLengths = batch.labels().toType(DataType.INT64, false).toLongArray();
        long count = 0;
        for (int b = 0; b < lengths.length; b++) {
            count += lengths[b] - sourceLengths[b] - 1;
        }
        return count;
    }

    /** Predicted target positions whose most probable next token is the real one (teacher forcing). */
    @Override
    public long correctCount(NDManager scope, Batch batch) {
        if (batch.size() == 0) {
            return 0;
        }
        try (NDManager work = scope.newSubManager()) {
            EncoderDecoderTrace trace = forward(work, batch, parameters, false);
            return trace.targetLayout().correctPredictions(work, trace.logits(), trace.nextTargetTokens());
        }
    }

    /** The non-private gradient: plain autograd through the engine's fused LSTMs, every parameter a leaf. */
    @Override
    public NDList gradientSum(NDManager scope, Batch batch) {
        return gradientSum(scope, batch, null);
    }

    /** As {@link #gradientSum(NDManager, Batch)}; an encoder-decoder has no dropout, so the scale must be null. */
    @Override
    public NDList gradientSum(NDManager scope, Batch batch, NDArray dropoutScale) {
        if (dropoutScale != null) {
            throw new IllegalArgumentException("dropout scale must be null for an encoder-decoder (no dropout)");
        }
        return AutogradGradients.of(scope, parameters, batch,
                (work, leaves) -> lossOf(work, forward(work, batch, leaves, true)));
    }

    /** A weight's transpose in {@code work} (a view, but owned by the parameters' manager unless moved). */
    private static NDArray transposed(NDManager work, NDArray weight) {
        NDArray view = weight.transpose();
        view.attach(work);
        return view;
    }

    @Override
    public void close() {
        manager.close();
    }
}
