package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * A linear classifier over a text's bag of hashed character n-grams: logits = W x, W (K, D), D =
 * {@link ModelConfig#featureSize()} buckets, or W x + b, b (K), when the config has a bias
 * ({@link ModelConfig#ngramBias()}; files written before the choice). The batch's tokens are the text's n-gram
 * bucket ids plus 2 (ids 0 and 1 are padding and unknown, as in {@code HashingVocabulary}), one per
 * n-gram occurrence; the model turns them into the bag itself (as {@code CharNgramBag.vector}
 * does): the count of each bucket over the real positions, square-rooted, scaled to length 1. So
 * ‖x‖ ≤ 1 and each example's gradient (p − y) ⊗ x has norm at most √2 ((p − y) ⊗ (x, 1), at most 2,
 * with a bias; ARCHITECTURE §5).
 *
 * <p>Parameters: output.weight (K, D) and with a bias output.bias (K), starting at zero (the loss
 * is convex: no symmetry to break, and the start does not depend on the seed).
 */
public final class NgramLinearClassifier implements TextModel {

    private final ModelConfig config;
    private final List<String> names;
    private final NDManager manager;
    private final NDList parameters;

    private NgramLinearClassifier(ModelConfig config, NDManager manager, NDList parameters) {
        if (config.kind() != ModelKind.NGRAM) {
            throw new IllegalArgumentException("an n-gram classifier needs model ngram, was " + config.kind());
        }
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.names = List.copyOf(ParameterLayout.names(config));
        if (parameters.size() != names.size()) {
            throw new IllegalArgumentException("an n-gram classifier " + (config.ngramBias() ? "with" : "without")
                    + " a bias has " + names.size() + " parameters, the file had " + parameters.size());
        }
        for (int i = 0; i < names.size(); i++) {
            Shape expected = ParameterLayout.shape(config, names.get(i));
            if (!parameters.get(i).getShape().equals(expected)) {
                throw new IllegalArgumentException("parameter " + names.get(i) + " must have shape " + expected
                        + ", was " + parameters.get(i).getShape());
            }
        }
    }

    /** A new model with zero weights in a child of {@code parent} ({@code seed} is not needed). */
    public static NgramLinearClassifier create(ModelConfig config, NDManager parent, long seed) {
        NDManager manager = parent.newSubManager();
        NDList parameters = new NDList(
                manager.zeros(new Shape(config.numClasses(), config.featureSize()), config.dataType()));
        if (config.ngramBias()) {
            parameters.add(manager.zeros(new Shape(config.numClasses()), config.dataType()));
        }
        return new NgramLinearClassifier(config, manager, parameters);
    }

    /** Wraps arrays already in a manager owned by the new model (model files). */
    static NgramLinearClassifier fromParameters(ModelConfig config, NDManager manager, NDList params) {
        return new NgramLinearClassifier(config, manager, ParameterizedLstmStack.inDataType(config, params));
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

    /**
     * Each example's bag (B, D) in {@code scope}: bucket counts over its real positions (ids 0 and 1
     * count nowhere), square-rooted and scaled to length 1; all zeros without any n-gram. Built on
     * the host, where the token ids come from: a one-hot (B, T, D) on the engine would not fit.
     */
    public NDArray bags(NDManager scope, Batch batch) {
        int size = Math.toIntExact(batch.size());
        int buckets = config.featureSize();
        long[] tokens = batch.tokens().toType(DataType.INT64, false).toLongArray();
        long[] lengths = batch.lengths().toType(DataType.INT64, false).toLongArray();
        int width = size == 0 ? 0 : tokens.length / size;
        double[] bags = new double[size * buckets];
        int[] counts = new int[buckets];
        for (int b = 0; b < size; b++) {
            Arrays.fill(counts, 0);
            long total = 0;
            for (int t = 0; t < lengths[b]; t++) {
                long id = tokens[b * width + t];
                if (id >= 2) {
                    counts[(int) (id - 2)]++;
                    total++;
                }
            }
            if (total > 0) {
                double scale = 1 / Math.sqrt(total); // Σ (√count)² = total
                for (int i = 0; i < buckets; i++) {
                    if (counts[i] > 0) {
                        // rounded to float first, as CharNgramBag.vector rounds it
                        double value = Math.sqrt(counts[i]) * scale;
                        bags[b * buckets + i] = config.dataType() == DataType.FLOAT32 ? (float) value : value;
                    }
                }
            }
        }
        NDArray array = scope.create(bags, new Shape(size, buckets));
        return config.dataType() == DataType.FLOAT64 ? array : array.toType(DataType.FLOAT32, false);
    }

    /** Logits (B, K) of bags (B, D) with these parameters (the model's or autograd leaves), in the bags' manager. */
    public NDArray logitsOf(NDArray bags, NDList params) {
        NDArray transposed = params.get(0).transpose();
        transposed.attach(bags.getManager()); // a view, but owned by the parameters' manager unless moved
        NDArray logits = bags.matMul(transposed);
        return config.ngramBias() ? logits.add(params.get(1)) : logits;
    }

    @Override
    public NDArray logits(NDManager scope, Batch batch) {
        if (batch.size() == 0) {
            return scope.zeros(new Shape(0, config.numClasses()), config.dataType());
        }
        try (NDManager work = scope.newSubManager()) {
            NDArray logits = logitsOf(bags(work, batch), parameters);
            logits.attach(scope);
            return logits;
        }
    }

    @Override
    public NDArray lossSum(NDManager scope, Batch batch) {
        return AutogradGradients.lossSum(scope, parameters, batch, config.dataType(), (work, p) ->
                LstmClassifier.crossEntropySum(logitsOf(bags(work, batch), p), batch.labels()));
    }

    /** The plain gradient of the summed loss, by autograd (the clipper's closed form is tested against it). */
    @Override
    public NDList gradientSum(NDManager scope, Batch batch) {
        return AutogradGradients.of(scope, parameters, batch, (work, leaves) ->
                LstmClassifier.crossEntropySum(logitsOf(bags(work, batch), leaves), batch.labels()));
    }

    /** As {@link #gradientSum(NDManager, Batch)}: the model has no dropout, so the scale must be null. */
    @Override
    public NDList gradientSum(NDManager scope, Batch batch, NDArray dropoutScale) {
        if (dropoutScale != null) {
            throw new IllegalArgumentException("model ngram has no dropout, but a dropout scale was given");
        }
        return gradientSum(scope, batch);
    }

    @Override
    public void close() {
        manager.close();
    }
}
