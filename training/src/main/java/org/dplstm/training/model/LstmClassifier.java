package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.dplstm.training.pergrad.ClippedGradients;
import org.dplstm.training.pergrad.FusedPerExampleGradients;

/**
 * Embedding → stacked (optionally bidirectional) LSTM → optional LayerNorm → dropout → Linear
 * over each example's last real position, on DJL's PyTorch engine. Parameters are plain arrays
 * owned by the model's own manager; close the model to free them. Token id 0 is padding.
 *
 * <p>Parameter order: embedding (V, E); per layer and direction W_ih (4H, in), W_hh (4H, H),
 * bias (4H) with gates (i, f, g, o); LayerNorm gamma, beta (F) when enabled; output weight
 * (K, F) and bias (K).
 */
public final class LstmClassifier implements DifferentiableModel, AutoCloseable {

    static final float LAYER_NORM_EPS = 1e-5f;

    private final ModelConfig config;
    private final NDManager manager;
    private final NDList parameters;
    private final List<String> names;

    private LstmClassifier(ModelConfig config, NDManager manager, NDList parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.names = Collections.unmodifiableList(namesFor(config));
        if (parameters.size() != names.size()) {
            throw new IllegalArgumentException(
                    "parameter count must be " + names.size() + " for " + config + ", was " + parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            Shape expected = shapeOf(config, names.get(i));
            if (!parameters.get(i).getShape().equals(expected)) {
                throw new IllegalArgumentException("parameter " + names.get(i) + " must have shape " + expected
                        + ", was " + parameters.get(i).getShape());
            }
            parameters.get(i).setName(names.get(i));
        }
    }

    /**
     * A new model with seeded initial weights: LSTM and output weights uniform in ±1/√fan as in
     * torch, the forget-gate bias 1 (Jozefowicz et al. 2015), embeddings uniform in ±0.1.
     */
    public static LstmClassifier create(ModelConfig config, NDManager parent, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        NDManager manager = parent.newSubManager();
        NDList params = new NDList();
        for (String name : namesFor(config)) {
            Shape shape = shapeOf(config, name);
            double[] values = new double[Math.toIntExact(shape.size())];
            if (name.equals("embedding")) {
                fillUniform(values, 0.1, random);
            } else if (name.endsWith(".bias") && name.startsWith("lstm.")) {
                fillUniform(values, 1 / Math.sqrt(config.hiddenSize()), random);
                int hidden = config.hiddenSize();
                for (int j = hidden; j < 2 * hidden; j++) {
                    values[j] = 1.0;
                }
            } else if (name.startsWith("lstm.")) {
                fillUniform(values, 1 / Math.sqrt(config.hiddenSize()), random);
            } else if (name.equals("layer_norm.gamma")) {
                java.util.Arrays.fill(values, 1.0);
            } else if (name.equals("layer_norm.beta")) {
                java.util.Arrays.fill(values, 0.0);
            } else {
                fillUniform(values, 1 / Math.sqrt(config.featureSize()), random);
            }
            params.add(manager.create(values, shape).toType(config.dataType(), false));
        }
        return new LstmClassifier(config, manager, params);
    }

    /** Wraps arrays already in a manager owned by the new model (model files). */
    static LstmClassifier fromParameters(ModelConfig config, NDManager manager, NDList params) {
        NDList typed = new NDList();
        for (NDArray p : params) {
            typed.add(p.getDataType() == config.dataType() ? p : p.toType(config.dataType(), false));
        }
        return new LstmClassifier(config, manager, typed);
    }

    private static void fillUniform(double[] values, double bound, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (2 * random.nextDouble() - 1) * bound;
        }
    }

    static List<String> namesFor(ModelConfig config) {
        List<String> names = new ArrayList<>();
        names.add("embedding");
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int direction = 0; direction < config.directions(); direction++) {
                String prefix = lstmPrefix(layer, direction);
                names.add(prefix + "w_ih");
                names.add(prefix + "w_hh");
                names.add(prefix + "bias");
            }
        }
        if (config.layerNorm()) {
            names.add("layer_norm.gamma");
            names.add("layer_norm.beta");
        }
        names.add("output.weight");
        names.add("output.bias");
        return names;
    }

    private static String lstmPrefix(int layer, int direction) {
        return "lstm.l" + layer + (direction == 0 ? ".fwd." : ".bwd.");
    }

    private static Shape shapeOf(ModelConfig config, String name) {
        long gates = 4L * config.hiddenSize();
        if (name.equals("embedding")) {
            return new Shape(config.vocabSize(), config.embeddingDim());
        } else if (name.startsWith("lstm.l")) {
            int layer = Integer.parseInt(name.substring(6, name.indexOf('.', 6)));
            if (name.endsWith("w_ih")) {
                return new Shape(gates, config.inputSize(layer));
            } else if (name.endsWith("w_hh")) {
                return new Shape(gates, config.hiddenSize());
            }
            return new Shape(gates);
        } else if (name.startsWith("layer_norm.")) {
            return new Shape(config.featureSize());
        } else if (name.equals("output.weight")) {
            return new Shape(config.numClasses(), config.featureSize());
        }
        return new Shape(config.numClasses());
    }

    public ModelConfig config() {
        return config;
    }

    /** The manager that owns the parameters. */
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

    /** Index in {@link #parameters()} of the embedding table. */
    public int embeddingIndex() {
        return 0;
    }

    /** Index of W_ih of a layer and direction; W_hh and the bias follow it. */
    public int lstmIndex(int layer, int direction) {
        return 1 + 3 * (layer * config.directions() + direction);
    }

    /** Index of the LayerNorm gamma (beta follows), or -1 without LayerNorm. */
    public int layerNormIndex() {
        return config.layerNorm() ? 1 + 3 * config.layers() * config.directions() : -1;
    }

    /** Index of the output weight (its bias follows). */
    public int outputIndex() {
        return 1 + 3 * config.layers() * config.directions() + (config.layerNorm() ? 2 : 0);
    }

    @Override
    public NDArray logits(NDManager scope, Batch batch) {
        if (batch.size() == 0) {
            return scope.zeros(new Shape(0, config.numClasses()), config.dataType());
        }
        try (NDManager work = scope.newSubManager()) {
            NDArray logits = forward(work, batch, parameters, false, null, false).logits();
            logits.attach(scope);
            return logits;
        }
    }

    @Override
    public NDArray lossSum(NDManager scope, Batch batch) {
        if (batch.size() == 0) {
            return scope.zeros(new Shape(), config.dataType());
        }
        try (NDManager work = scope.newSubManager()) {
            ForwardTrace trace = forward(work, batch, parameters, false, null, false);
            NDArray loss = crossEntropySum(trace.logits(), batch.labels());
            loss.attach(scope);
            return loss;
        }
    }

    /**
     * The non-private gradient: plain autograd through the engine's fused LSTM with the real
     * input weights (the honest fastest plain step), all parameters as gradient leaves.
     */
    @Override
    public NDList gradientSum(NDManager scope, Batch batch) {
        return gradientSum(scope, batch, null);
    }

    /** As {@link #gradientSum(NDManager, Batch)} with a given dropout scale (B, F), or null. */
    public NDList gradientSum(NDManager scope, Batch batch, NDArray dropoutScale) {
        NDList sums = new NDList();
        if (batch.size() == 0) {
            for (NDArray p : parameters) {
                sums.add(scope.zeros(p.getShape(), p.getDataType()));
            }
            return sums;
        }
        try (NDManager work = scope.newSubManager()) {
            NDList leaves = new NDList();
            for (NDArray p : parameters) {
                NDArray leaf = p.duplicate();
                leaf.attach(work);
                leaf.setRequiresGradient(true);
                leaves.add(leaf);
            }
            try (GradientCollector collector = work.getEngine().newGradientCollector()) {
                ForwardTrace trace = forward(work, batch, leaves, true, dropoutScale, true);
                collector.backward(crossEntropySum(trace.logits(), batch.labels()));
            }
            for (NDArray leaf : leaves) {
                NDArray grad = leaf.getGradient();
                grad.attach(scope);
                sums.add(grad);
            }
        }
        return sums;
    }

    @Override
    public ClippedGradients clippedGradientSum(NDManager scope, Batch batch, double maxGradNorm) {
        return new FusedPerExampleGradients(this).clippedGradientSum(scope, batch, maxGradNorm);
    }

    /** Summed softmax cross-entropy of logits (B, K) against class ids (B). */
    public static NDArray crossEntropySum(NDArray logits, NDArray labels) {
        NDArray oneHot = labels.toType(DataType.INT64, false)
                .oneHot((int) logits.getShape().get(1))
                .toType(logits.getDataType(), false);
        return logits.logSoftmax(1).mul(oneHot).sum().neg();
    }

    /**
     * The forward pass, time-major inside. {@code training} turns dropout on (with
     * {@code dropoutScale} when given, else a fresh mask); {@code forBackward} keeps what an
     * autograd backward through the engine's LSTM needs. Arrays belong to {@code work}.
     */
    public ForwardTrace forward(
            NDManager work,
            Batch batch,
            NDList params,
            boolean training,
            NDArray dropoutScale,
            boolean forBackward) {
        int steps = Math.toIntExact(batch.tokens().getShape().get(1));
        SequenceLayout layout = SequenceLayout.of(batch.lengths(), steps);
        NDArray tokens = batch.tokens().toType(DataType.INT64, false).transpose();
        tokens.attach(work);
        checkTokens(tokens);
        NDArray embedded = embed(params.get(embeddingIndex()), tokens);
        NDArray reversedRows = config.bidirectional() ? layout.reversedRows(work) : null;
        ForwardTrace trace =
                new ForwardTrace(layout, tokens, reversedRows, embedded, config.layers(), config.directions());
        NDArray layerInput = embedded;
        for (int layer = 0; layer < config.layers(); layer++) {
            NDList positionOrdered = new NDList();
            for (int direction = 0; direction < config.directions(); direction++) {
                NDArray input = direction == 0 ? layerInput : SequenceLayout.gatherRows(layerInput, reversedRows);
                int index = lstmIndex(layer, direction);
                NDArray output = EngineLstm.run(
                        input, params.get(index), params.get(index + 1), params.get(index + 2), forBackward);
                trace.inputs[layer][direction] = input;
                trace.outputs[layer][direction] = output;
                positionOrdered.add(direction == 0 ? output : SequenceLayout.gatherRows(output, reversedRows));
            }
            layerInput = positionOrdered.size() == 1 ? positionOrdered.get(0) : NDArrays.concat(positionOrdered, 2);
        }
        NDArray lastRows = layout.lastRows(work);
        NDList lastStates = new NDList();
        for (int direction = 0; direction < config.directions(); direction++) {
            NDArray output = trace.outputs[config.layers() - 1][direction];
            lastStates.add(output.reshape(-1, config.hiddenSize()).get(new NDIndex("{}", lastRows)));
        }
        NDArray features = lastStates.size() == 1 ? lastStates.get(0) : NDArrays.concat(lastStates, 1);
        trace.features = features;
        NDArray head = features;
        if (config.layerNorm()) {
            int gamma = layerNormIndex();
            NDArray centered = features.sub(features.mean(new int[] {1}, true));
            NDArray inverseStd = centered.square().mean(new int[] {1}, true).add(LAYER_NORM_EPS).sqrt().pow(-1);
            NDArray normalized = centered.mul(inverseStd);
            trace.normalized = normalized;
            trace.inverseStd = inverseStd;
            head = normalized.mul(params.get(gamma)).add(params.get(gamma + 1));
        }
        if (training && config.dropout() > 0) {
            NDArray scale = dropoutScale != null ? dropoutScale : sampleDropoutScale(work, head.getShape());
            trace.dropoutScale = scale;
            head = head.mul(scale);
        }
        trace.headInput = head;
        int out = outputIndex();
        trace.logits = head.matMul(params.get(out).transpose()).add(params.get(out + 1));
        return trace;
    }

    private NDArray embed(NDArray table, NDArray tokens) {
        Shape shape = tokens.getShape();
        return table.get(new NDIndex("{}", tokens.flatten())).reshape(shape.get(0), shape.get(1), -1);
    }

    private void checkTokens(NDArray tokens) {
        if (tokens.size() == 0) {
            return;
        }
        long min = tokens.min().getLong();
        long max = tokens.max().getLong();
        if (min < 0 || max >= config.vocabSize()) {
            throw new IllegalArgumentException("token ids must be in [0, " + (config.vocabSize() - 1)
                    + "], were in [" + min + ", " + max + "]");
        }
    }

    /** Inverted dropout: keep with probability 1 − p and scale kept features by 1/(1 − p). */
    public NDArray sampleDropoutScale(NDManager work, Shape shape) {
        double p = config.dropout();
        return work.randomUniform(0f, 1f, shape)
                .gte((float) p)
                .toType(config.dataType(), false)
                .div(1 - p);
    }

    @Override
    public void close() {
        manager.close();
    }
}
