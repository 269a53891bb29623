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
        return new PerExampleLoss() {
            @Override
            public String name() {
                return "softmax_cross_entropy";
            }

            @Override
            public NDArray perExample(NDList predictions, NDList labels) {
                NDArray logits = predictions.head();
                NDArray ids = labels.head().toType(DataType.INT64, true);
                ids.attach(logits.getManager());
                NDArray oneHot = ids.oneHot((int) logits.getShape().tail()).toType(logits.getDataType(), false);
                return sumPerExample(logits.logSoftmax(-1).mul(oneHot).neg());
            }

            @Override
            public boolean hasAccuracy() {
                return true;
            }

            @Override
            public long correct(NDList predictions, NDList labels) {
                NDArray best = predictions.head().argMax(-1).toType(DataType.INT64, false);
                return best.eq(labels.head().toType(DataType.INT64, false)).toType(DataType.INT64, false).sum().getLong();
            }
        };
    }

    /** ½ Σ (prediction − label)² over each example's entries (DJL's L2Loss, per example). */
    static PerExampleLoss l2() {
        return new PerExampleLoss() {
            @Override
            public String name() {
                return "l2";
            }

            @Override
            public NDArray perExample(NDList predictions, NDList labels) {
                NDArray prediction = predictions.head();
                NDArray label = labels.head().toType(prediction.getDataType(), false).reshape(prediction.getShape());
                return sumPerExample(prediction.sub(label).square().mul(0.5));
            }
        };
    }

    /**
     * Binary cross-entropy of logits against 0/1 labels of the same shape, summed over each
     * example's entries, in the stable form max(x, 0) − x·y + log(1 + e^−|x|).
     */
    static PerExampleLoss sigmoidBinaryCrossEntropy() {
        return new PerExampleLoss() {
            @Override
            public String name() {
                return "sigmoid_binary_cross_entropy";
            }

            @Override
            public NDArray perExample(NDList predictions, NDList labels) {
                NDArray logits = predictions.head();
                NDArray label = labels.head().toType(logits.getDataType(), false).reshape(logits.getShape());
                NDArray softplus = logits.abs().neg().exp().add(1).log();
                return sumPerExample(logits.maximum(0).sub(logits.mul(label)).add(softplus));
            }

            @Override
            public boolean hasAccuracy() {
                return true;
            }

            @Override
            public long correct(NDList predictions, NDList labels) {
                NDArray logits = predictions.head();
                NDArray predicted = logits.gt(0);
                NDArray actual = labels.head().toType(logits.getDataType(), false).reshape(logits.getShape()).gt(0.5);
                return predicted.eq(actual).toType(DataType.INT64, false).sum().getLong();
            }
        };
    }

    /** (B, …) summed over every axis but the first: (B). */
    private static NDArray sumPerExample(NDArray values) {
        long examples = values.getShape().get(0);
        return values.reshape(examples, -1).sum(new int[] {1});
    }
}
