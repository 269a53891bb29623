package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.pergrad.TextBatches;

/**
 * The clipped gradient sum of given sampled units by one clipper, in micro-batches of bounded
 * size whose sums add up (a unit never spans two; ARCHITECTURE §2): what one process, one device
 * or one cluster task computes of a step.
 */
public final class MicroBatchedSums {

    private MicroBatchedSums() {}

    /** A local-only training loss and accuracy of one micro-batch (for a console; never logged). */
    @FunctionalInterface
    public interface Measure {
        Evaluation of(NDManager scope, ExampleBatch batch);
    }

    /**
     * @param units each sampled unit's examples in {@code data} (one each at example level)
     * @param bound the step's clip norm and the parameters left out of it
     * @param measure measures the first micro-batch, or null
     * @return the sums in {@code scope} (null entries when {@code units} is empty) and how many
     *     units' norms were within the bound
     */
    public static SampledSum clipped(Clipper clipper, UnitData data, NDManager scope, List<int[]> units,
            ClipBound bound, int microBatchSize, Measure measure) {
        NDArray[] sums = new NDArray[clipper.parameters().names().size()];
        Evaluation local = Evaluation.NONE;
        NDArray within = scope.zeros(new Shape(), DataType.FLOAT64);
        for (MicroBatch micro : new MicroBatcher(microBatchSize).pack(units, data.grouped())) {
            try (NDManager microScope = scope.newSubManager()) {
                ExampleBatch batch = data.batch(microScope, micro.examples(), asLongs(micro.groups()));
                ClippedGradients clipped = clipper.clippedSum(microScope, batch, bound.norm(), bound.frozen());
                accumulate(sums, clipped.sums(), scope);
                if (clipped.norms().size() > 0) {
                    within.addi(clipped.norms().lte(bound.norm()).toType(DataType.FLOAT64, false).sum());
                }
                if (measure != null && local == Evaluation.NONE) {
                    local = measure.of(microScope, batch);
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
        lendParameters(model.parameters(), scope);
    }

    /** As {@link #lendParameters(DifferentiableModel, NDManager)}, for parameter arrays without their model. */
    public static void lendParameters(NDList parameters, NDManager scope) {
        for (NDArray parameter : parameters) {
            parameter.tempAttach(scope);
        }
    }

    /** Each sampled unit's examples. */
    public static List<int[]> unitsOf(UnitData data, int[] sampled) {
        List<int[]> units = new ArrayList<>(sampled.length);
        for (int unit : sampled) {
            units.add(data.examplesOf(unit));
        }
        return units;
    }

    /** Mean loss and accuracy per prediction of a text model on one text batch. */
    public static Measure measureOf(DifferentiableModel model) {
        return (scope, batch) -> measure(model, scope, TextBatches.toBatch(batch));
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
                    "the clipper returned " + part.size() + " gradient sums for " + sums.length + " parameters");
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

    private static long[] asLongs(int[] groups) {
        if (groups == null) {
            return null;
        }
        long[] longs = new long[groups.length];
        for (int i = 0; i < groups.length; i++) {
            longs[i] = groups[i];
        }
        return longs;
    }
}
