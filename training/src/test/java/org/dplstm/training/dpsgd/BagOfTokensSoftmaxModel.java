package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.DifferentiableModel;

/**
 * Test-only model, independent of the LSTM: softmax regression over a bag of token ids,
 * logits = W·x + b with x the token counts, float64. Its per-example gradients have a closed form
 * (dL/dW = (p − y) xᵀ, dL/db = p − y), materialised here with plain engine ops, so the DP-SGD
 * loop can be checked against a hand computation.
 */
final class BagOfTokensSoftmaxModel implements DifferentiableModel, AutoCloseable {

    private final NDManager manager;
    private final int vocabulary;
    private final int classes;
    private final NDArray weights;
    private final NDArray bias;

    BagOfTokensSoftmaxModel(NDManager parent, int vocabulary, int classes, long seed) {
        this.manager = parent.newSubManager();
        this.vocabulary = vocabulary;
        this.classes = classes;
        Random random = new Random(seed);
        double[] w = new double[classes * vocabulary];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.1 * random.nextGaussian();
        }
        this.weights = manager.create(w, new Shape(classes, vocabulary));
        this.bias = manager.zeros(new Shape(classes), DataType.FLOAT64);
    }

    int vocabulary() {
        return vocabulary;
    }

    int classes() {
        return classes;
    }

    @Override
    public NDList parameters() {
        return new NDList(weights, bias);
    }

    @Override
    public List<String> parameterNames() {
        return List.of("softmax.weight", "softmax.bias");
    }

    /** (B, V) token counts over each example's real positions. */
    private NDArray bag(Batch batch) {
        long maxLength = batch.tokens().getShape().get(1);
        NDManager m = batch.tokens().getManager();
        NDArray positions = m.arange(0, (int) maxLength).toType(DataType.INT64, false).reshape(1, maxLength);
        NDArray mask = positions.lt(batch.lengths().reshape(-1, 1)).toType(DataType.FLOAT64, false);
        NDArray oneHot = batch.tokens().toType(DataType.INT32, false).oneHot(vocabulary).toType(DataType.FLOAT64, false);
        return oneHot.mul(mask.expandDims(2)).sum(new int[] {1});
    }

    private NDArray logitsOf(NDArray bag) {
        return bag.matMul(weights.transpose()).add(bias);
    }

    /** (B, K·V + K): each example's full gradient, flattened. */
    private NDArray perExampleGradients(Batch batch) {
        NDArray x = bag(batch);
        NDArray probabilities = logitsOf(x).softmax(1);
        NDArray y = batch.labels().toType(DataType.INT32, false).oneHot(classes).toType(DataType.FLOAT64, false);
        NDArray d = probabilities.sub(y);
        NDArray dw = d.expandDims(2).mul(x.expandDims(1)).reshape(batch.size(), (long) classes * vocabulary);
        return NDArrays.concat(new NDList(dw, d), 1);
    }

    /** Its clipped sum in closed form (registered in {@link TestClippers}). */
    ClippedGradients clippedGradientSum(NDManager scope, Batch batch, double maxGradNorm) {
        // Intermediate arrays belong to the batch's manager, i.e. the caller's scope.
        NDArray perUnit = perExampleGradients(batch);
        if (batch.groups() != null) {
            int groups = (int) batch.groups().max().getLong() + 1;
            NDArray membership = batch.groups().toType(DataType.INT32, false).oneHot(groups)
                    .toType(DataType.FLOAT64, false).transpose();
            perUnit = membership.matMul(perUnit);
        }
        NDArray norms = perUnit.pow(2).sum(new int[] {1}).sqrt();
        NDArray factors = norms.maximum(1e-300).pow(-1).mul(maxGradNorm).minimum(1.0);
        NDArray clippedSum = factors.expandDims(0).matMul(perUnit).reshape(-1);
        NDList sums = split(clippedSum);
        sums.attach(scope);
        norms.attach(scope);
        return new ClippedGradients(sums, norms);
    }

    private NDList split(NDArray flat) {
        long wSize = (long) classes * vocabulary;
        return new NDList(flat.get("0:" + wSize).reshape(classes, vocabulary), flat.get(wSize + ":"));
    }

    @Override
    public NDList gradientSum(NDManager scope, Batch batch) {
        NDList sums = split(perExampleGradients(batch).sum(new int[] {0}));
        sums.attach(scope);
        return sums;
    }

    @Override
    public NDArray logits(NDManager scope, Batch batch) {
        NDArray logits = logitsOf(bag(batch));
        logits.attach(scope);
        return logits;
    }

    @Override
    public NDArray lossSum(NDManager scope, Batch batch) {
        NDArray logProbabilities = logitsOf(bag(batch)).logSoftmax(1);
        NDArray y = batch.labels().toType(DataType.INT32, false).oneHot(classes).toType(DataType.FLOAT64, false);
        NDArray loss = logProbabilities.mul(y).sum().neg();
        loss.attach(scope);
        return loss;
    }

    @Override
    public void close() {
        manager.close();
    }
}
