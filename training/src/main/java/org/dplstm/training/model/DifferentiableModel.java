package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A model as the DP-SGD loop sees it: named trainable parameters, its plain gradient, scores and
 * loss. Per-example clipping is not the model's to compute: the mechanism's clipper strategies do
 * it ({@code org.dplstm.training.pergrad.ModelClippers}). Arrays a method creates belong to the
 * {@code scope} manager passed in, so they die with the caller's step.
 */
public interface DifferentiableModel {

    /** Trainable parameters in a fixed order; the optimizer updates these arrays in place. */
    NDList parameters();

    /** A stable name per parameter, parallel to {@link #parameters()} (optimizer state keys). */
    List<String> parameterNames();

    /**
     * Tells the model which part stays constant from now on (the trainer sets it at the start of a
     * run and sets {@link FrozenPart#NONE} at its end), so it may compute that part's output once.
     * The default recomputes everything.
     */
    default void setFrozen(FrozenPart part) {}

    /** Gradient of the batch's summed loss, for non-private training (no clipping, no noise). */
    NDList gradientSum(NDManager scope, Batch batch);

    /** Scores for inference, dropout off: (B, classes) for a classifier, (B, T, V) for a language model. */
    NDArray logits(NDManager scope, Batch batch);

    /** Summed loss of the batch, dropout off (validation). */
    NDArray lossSum(NDManager scope, Batch batch);

    /**
     * How many predictions {@link #lossSum} adds up: one per example for a classifier, one per
     * predicted token for a language model. Mean validation loss and accuracy are per prediction.
     */
    default long predictionCount(Batch batch) {
        return batch.size();
    }

    /** Predictions whose highest score is the target (a classifier: argmax of logits = label). */
    default long correctCount(NDManager scope, Batch batch) {
        if (batch.size() == 0) {
            return 0;
        }
        NDArray best = logits(scope, batch).argMax(1).toType(ai.djl.ndarray.types.DataType.INT64, false);
        return best.eq(batch.labels().toType(ai.djl.ndarray.types.DataType.INT64, false))
                .toType(ai.djl.ndarray.types.DataType.INT64, false).sum().getLong();
    }
}
