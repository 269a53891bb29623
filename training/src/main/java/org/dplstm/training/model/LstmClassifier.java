package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.dplstm.training.recurrent.RecurrentCell;

/**
 * Embedding → stacked (optionally bidirectional) LSTM, or GRU ({@link ModelConfig#cell()}) →
 * optional LayerNorm → dropout → Linear over each example's last real position (or the mean over
 * its real positions, {@link Pooling}), on DJL's PyTorch engine. Parameters are plain arrays
 * owned by the model's own manager; close the model to free them. Token id 0 is padding.
 *
 * <p>Parameter order: embedding (V, E); per layer and direction the cell's weights and biases
 * ({@code ParameterLayout}); LayerNorm gamma, beta (F) when enabled; output weight (K, F) and
 * bias (K).
 */
public final class LstmClassifier extends ParameterizedLstmStack {

    static final float LAYER_NORM_EPS = 1e-5f;

    /** Set while the encoder is frozen: its features, computed once per text. */
    private EncoderFeatureCache frozenEncoder;

    private LstmClassifier(ModelConfig config, NDManager manager, NDList parameters) {
        super(config, ModelTask.CLASSIFY, "a classifier", manager, parameters);
    }

    /**
     * With {@link FrozenPart#ENCODER}, the embedding and LSTM are constants until the part is set
     * back: each text's features are computed once and every forward pass runs the head only
     * (what a DP-SGD step of a frozen encoder needs). Any other part computes everything.
     */
    @Override
    public void setFrozen(FrozenPart part) {
        frozenEncoder = part == FrozenPart.ENCODER ? new EncoderFeatureCache() : null;
    }

    /** Whether the encoder's features come from the cache ({@link #setFrozen}). */
    public boolean encoderFrozen() {
        return frozenEncoder != null;
    }

    /**
     * A new model with seeded initial weights: recurrent and output weights uniform in ±1/√fan as
     * in torch, an LSTM's forget-gate bias 1 (Jozefowicz et al. 2015), embeddings uniform in ±0.1.
     */
    public static LstmClassifier create(ModelConfig config, NDManager parent, long seed) {
        NDManager manager = parent.newSubManager();
        return new LstmClassifier(config, manager, ParameterLayout.initial(config, manager, seed));
    }

    /** Wraps arrays already in a manager owned by the new model (model files). */
    static LstmClassifier fromParameters(ModelConfig config, NDManager manager, NDList params) {
        return new LstmClassifier(config, manager, inDataType(config, params));
    }

    /** Index of the LayerNorm gamma (beta follows), or -1 without LayerNorm. */
    public int layerNormIndex() {
        return ParameterLayout.layerNormIndex(config());
    }

    /** Index of the output weight (its bias follows). */
    public int outputIndex() {
        return outputWeightIndex();
    }

    @Override
    public NDArray logits(NDManager scope, Batch batch) {
        if (batch.size() == 0) {
            return scope.zeros(new Shape(0, config().numClasses()), config().dataType());
        }
        try (NDManager work = scope.newSubManager()) {
            NDArray logits = forward(work, batch, parameters(), false, null, false).logits();
            logits.attach(scope);
            return logits;
        }
    }

    @Override
    public NDArray lossSum(NDManager scope, Batch batch) {
        return AutogradGradients.lossSum(scope, parameters(), batch, config().dataType(), (work, p) ->
                crossEntropySum(forward(work, batch, p, false, null, false).logits(), batch.labels()));
    }

    /**
     * The non-private gradient: plain autograd through the engine's fused LSTM or GRU with the real
     * input weights (the honest fastest plain step), all parameters as gradient leaves.
     */
    @Override
    public NDList gradientSum(NDManager scope, Batch batch) {
        return gradientSum(scope, batch, null);
    }

    /** As {@link #gradientSum(NDManager, Batch)} with a given dropout scale (B, F), or null. */
    @Override
    public NDList gradientSum(NDManager scope, Batch batch, NDArray dropoutScale) {
        // a frozen encoder's features come from its cache: its parameters are not in the graph
        return AutogradGradients.of(scope, parameters(),
                i -> frozenEncoder == null || !FrozenPart.ENCODER.freezes(parameterNames().get(i)), batch,
                (work, leaves) -> crossEntropySum(forward(work, batch, leaves, true, dropoutScale, true).logits(),
                        batch.labels()));
    }

    /** Summed softmax cross-entropy of logits (B, K) against class ids (B). */
    public static NDArray crossEntropySum(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).mul(oneHot(labels, logits)).sum().neg();
    }

    /**
     * Class ids (B) as one-hot rows (B, K) of the logits' type, in the logits' manager: an op's
     * result belongs to its first operand's manager, and the labels usually live as long as the
     * data set, where a result made every step would pile up.
     */
    public static NDArray oneHot(NDArray labels, NDArray logits) {
        // a copy in the scope first: the engine's one-hot makes intermediates of its own
        NDArray ids = labels.toType(DataType.INT64, true);
        ids.attach(logits.getManager());
        return ids.oneHot((int) logits.getShape().get(1)).toType(logits.getDataType(), false);
    }

    /**
     * The forward pass, time-major inside. {@code training} turns dropout on (with
     * {@code dropoutScale} when given, else a fresh mask); {@code forBackward} keeps what an
     * autograd backward through the engine's cell needs. Arrays belong to {@code work}.
     */
    public ForwardTrace forward(
            NDManager work,
            Batch batch,
            NDList params,
            boolean training,
            NDArray dropoutScale,
            boolean forBackward) {
        return forward(work, batch, params, training, dropoutScale, plainRunner(forBackward));
    }

    /** The engine's fused cell for every layer and direction. */
    private LstmDirectionRunner plainRunner(boolean forBackward) {
        RecurrentCell cell = RecurrentCell.of(config().cell());
        return (layer, direction, input, weights) -> cell.run(input, weights, forBackward);
    }

    @Override
    public ForwardTrace forward(
            NDManager work,
            Batch batch,
            NDList params,
            boolean training,
            NDArray dropoutScale,
            LstmDirectionRunner runner) {
        ForwardTrace trace;
        NDArray features;
        if (frozenEncoder != null) {
            // the encoder is frozen: its features come from the cache, the head is all that runs
            trace = ForwardTrace.headOnly();
            features = frozenEncoder.features(work, batch, config().dataType(),
                    (scope, part) -> pooledFeatures(scope, LstmStack.forward(config(), scope, part, parameters(),
                            plainRunner(false))));
        } else {
            trace = LstmStack.forward(config(), work, batch, params, runner);
            features = pooledFeatures(work, trace);
        }
        trace.features = features;
        return head(work, trace, features, params, training, dropoutScale);
    }

    /** The features the head reads: the top layer's last real state or the mean of its real states, per direction. */
    private NDArray pooledFeatures(NDManager work, ForwardTrace trace) {
        SequenceLayout layout = trace.layout();
        NDList pooled = new NDList();
        if (config().pooling() == Pooling.LAST) {
            NDArray lastRows = layout.lastRows(work);
            for (int direction = 0; direction < config().directions(); direction++) {
                NDArray output = trace.outputs[config().layers() - 1][direction];
                pooled.add(output.reshape(-1, config().hiddenSize()).get(new NDIndex("{}", lastRows)));
            }
        } else {
            // a reverse direction's real positions are the first len_b too, in reversed order
            NDArray weights = readoutWeights(work, layout);
            for (int direction = 0; direction < config().directions(); direction++) {
                pooled.add(trace.outputs[config().layers() - 1][direction].mul(weights).sum(new int[] {0}));
            }
        }
        return pooled.size() == 1 ? pooled.get(0) : NDArrays.concat(pooled, 1);
    }

    /** LayerNorm, dropout and the output layer over the features, recorded in {@code trace}. */
    private ForwardTrace head(NDManager work, ForwardTrace trace, NDArray features, NDList params, boolean training,
            NDArray dropoutScale) {
        NDArray head = features;
        if (config().layerNorm()) {
            int gamma = layerNormIndex();
            NDArray centered = features.sub(features.mean(new int[] {1}, true));
            NDArray inverseStd = centered.square().mean(new int[] {1}, true).add(LAYER_NORM_EPS).sqrt().pow(-1);
            NDArray normalized = centered.mul(inverseStd);
            trace.normalized = normalized;
            trace.inverseStd = inverseStd;
            head = normalized.mul(params.get(gamma)).add(params.get(gamma + 1));
        }
        if (training && config().dropout() > 0) {
            NDArray scale = dropoutScale != null ? dropoutScale : sampleDropoutScale(work, head.getShape());
            trace.dropoutScale = scale;
            head = head.mul(scale);
        }
        trace.headInput = head;
        int out = outputIndex();
        NDArray transposed = params.get(out).transpose();
        transposed.attach(work); // a view, but owned by the parameters' manager unless moved
        trace.logits = head.matMul(transposed).add(params.get(out + 1));
        return trace;
    }

    /**
     * (T, B, 1) weights of each top-layer state in the features: one at the last real position,
     * or 1/len_b at every real position (mean pooling). The features' gradient reaches the states
     * through them.
     */
    public NDArray readoutWeights(NDManager work, SequenceLayout layout) {
        return config().pooling() == Pooling.LAST
                ? layout.lastPositionMask(work, config().dataType())
                : layout.meanWeights(work, config().dataType());
    }

    /** Inverted dropout: keep with probability 1 − p and scale kept features by 1/(1 − p). */
    public NDArray sampleDropoutScale(NDManager work, Shape shape) {
        double p = config().dropout();
        return work.randomUniform(0f, 1f, shape)
                .gte((float) p)
                .toType(config().dataType(), false)
                .div(1 - p);
    }

}
