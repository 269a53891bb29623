package org.dplstm.training.mechanism.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * A loss whose per-example form is known: each example's loss, summed over its positions (every
 * non-batch axis), from the model's first output and the first label. DP-SGD clips each unit's
 * gradient of its summed loss and divides the noisy sum by the expected batch size, so the loss
 * of a batch is the sum, never a mean over the realised batch (ARCHITECTURE §2).
 */
public interface PerExampleLoss {

    /** A short name for messages and reports. */
    String name();

    /** Each example's loss, (B), in the predictions' manager and type. */
    NDArray perExample(NDList predictions, NDList labels);

    /** Whether predictions can be right or wrong (a classification loss). */
    default boolean hasAccuracy() {
        return false;
    }

    /** How many predictions (positions) are right; only when {@link #hasAccuracy()}. */
    default long correct(NDList predictions, NDList labels) {
        throw new UnsupportedOperationException(name() + " has no accuracy");
    }

    /** How many predictions a batch holds: one per label entry. */
    default long predictions(NDList labels) {
        return labels.head().size();
    }

    /**
     * Softmax cross-entropy of logits (B, …, K) against class ids (B, …), summed over positions:
     * DJL's SoftmaxCrossEntropyLoss with sparse labels and logits, per example.
     */
    static PerExampleLoss softmaxCrossEntropy() {
        return new FormulaLoss("softmax_cross_entropy", (predictions, labels) -> {
            NDArray logits = predictions.head();
            NDArray ids = labels.head().toType(DataType.INT64, true);
            ids.attach(logits.getManager());
            NDArray oneHot = ids.oneHot((int) logits.getShape().tail()).toType(logits.getDataType(), false);
            return sumPerExample(logits.logSoftmax(-1).mul(oneHot).neg());
        }, (predictions, labels) -> countEqual(predictions.head().argMax(-1), labels.head().toType(DataType.INT64, false)));
    }

    /** ½ Σ (prediction − label)² over each example's entries (DJL's L2Loss, per example). */
    static PerExampleLoss l2() {
        return new FormulaLoss("l2", (predictions, labels) -> {
            NDArray prediction = predictions.head();
            return sumPerExample(prediction.sub(like(labels.head(), prediction)).square().mul(0.5));
        }, null);
    }

    /**
     * Binary cross-entropy of logits against 0/1 labels of the same shape, summed over each
     * example's entries, in the stable form max(x, 0) − x·y + log(1 + e^−|x|).
     */
    static PerExampleLoss sigmoidBinaryCrossEntropy() {
        return new FormulaLoss("sigmoid_binary_cross_entropy", (predictions, labels) -> {
            NDArray logits = predictions.head();
            NDArray softplus = logits.abs().neg().exp().add(1).log();
            return sumPerExample(logits.maximum(0).sub(logits.mul(like(labels.head(), logits))).add(softplus));
        }, (predictions, labels) -> countEqual(predictions.head().gt(0), like(labels.head(), predictions.head()).gt(0.5)));
    }

    /** Labels as the predictions' type and shape. */
    private static NDArray like(NDArray labels, NDArray predictions) {
        return labels.toType(predictions.getDataType(), false).reshape(predictions.getShape());
    }

    private static long countEqual(NDArray a, NDArray b) {
        return a.toType(DataType.INT64, false).eq(b.toType(DataType.INT64, false)).toType(DataType.INT64, false)
                .sum().getLong();
    }

    /** (B, …) summed over every axis but the first: (B). */
    private static NDArray sumPerExample(NDArray values) {
        long examples = values.getShape().get(0);
        return values.reshape(examples, -1).sum(new int[] {1});
    }
}
