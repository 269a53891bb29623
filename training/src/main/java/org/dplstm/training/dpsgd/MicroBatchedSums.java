package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.pergrad.ClippedGradients;

/**
 * The clipped gradient sum of given sampled units on one model, in micro-batches of bounded size
 * whose sums add up (a unit never spans two; ARCHITECTURE §2): what one process, one device or one
 * cluster task computes of a step.
 */
public final class MicroBatchedSums {

    private MicroBatchedSums() {}

    /**
     * @param units each sampled unit's example indices into {@code data} (one each at example level)
     * @param userLevel whether a unit's examples are clipped together (user-level privacy)
     * @param measure measure the local-only training loss on the first micro-batch
     * @return the sums in {@code scope} (null entries when {@code units} is empty) and how many
     *     units' norms were within the bound
     */
    public static SampledSum clipped(DifferentiableModel model, NDManager scope, EncodedDataset data,
            List<int[]> units, boolean userLevel, ClipBound bound, int microBatchSize, boolean measure) {
        NDArray[] sums = new NDArray[model.parameters().size()];
        Evaluation local = Evaluation.NONE;
        NDArray within = scope.zeros(new Shape(), DataType.FLOAT64);
        for (MicroBatch micro : new MicroBatcher(microBatchSize).pack(units, userLevel)) {
            try (NDManager microScope = scope.newSubManager()) {
                Batch batch = BatchEncoder.encode(microScope, data, micro.examples(), micro.groups());
                ClippedGradients clipped = model.clippedGradientSum(microScope, batch, bound.norm(), bound.frozen());
                accumulate(sums, clipped.sums(), scope);
                if (clipped.norms().size() > 0) {
                    within.addi(clipped.norms().lte(bound.norm()).toType(DataType.FLOAT64, false).sum());
                }
                if (measure && local == Evaluation.NONE) {
                    local = measure(model, microScope, batch);
                }
            }
        }
        return new SampledSum(sums, local, within);
    }

    /**
     * Lends the model's parameters to {@code scope} until it closes. DJL puts an op's result in its
     * first operand's manager, so an op on a parameter would otherwise add an array to the model's
     * long-lived manager every step (native memory that grows until the run ends).
     */
    public static void lendParameters(DifferentiableModel model, NDManager scope) {
        for (NDArray parameter : model.parameters()) {
            parameter.tempAttach(scope);
        }
    }

    /** Each sampled unit's example indices: the unit itself at example level, the user's examples at user level. */
    public static List<int[]> unitsOf(EncodedDataset data, int[] sampled, boolean userLevel) {
        int[][] byUser = userLevel ? data.examplesByUser() : null;
        List<int[]> units = new ArrayList<>(sampled.length);
        for (int unit : sampled) {
            units.add(userLevel ? byUser[unit] : new int[] {unit});
        }
        return units;
    }

    /** Mean loss and accuracy of one batch (local only: never logged). */
    static Evaluation measure(DifferentiableModel model, NDManager scope, Batch batch) {
        double predictions = model.predictionCount(batch);
        double loss = model.lossSum(scope, batch).toType(DataType.FLOAT64, false).getDouble() / predictions;
        double accuracy = model.correctCount(scope, batch) / predictions;
        return new Evaluation(loss, accuracy);
    }

    /** Adds a micro-batch's sums into the step's running sums, which live in {@code scope}. */
    static void accumulate(NDArray[] sums, NDList part, NDManager scope) {
        if (part.size() != sums.length) {
            throw new IllegalStateException(
                    "the model returned " + part.size() + " gradient sums for " + sums.length + " parameters");
        }
        for (int i = 0; i < sums.length; i++) {
            if (sums[i] == null) {
                sums[i] = part.get(i).duplicate();
                sums[i].attach(scope);
            } else {
                sums[i].addi(part.get(i));
            }
        }
    }
}
