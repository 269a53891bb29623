package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.ParameterSet;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.TextModel;

/**
 * The slow exact reference: each clipping unit (an example, or all examples of a group) alone
 * through the plain model with autograd, its full gradient, its norm, the clip, the sum. Shares
 * nothing with {@link FusedPerExampleGradients} but the model's forward definition.
 */
public final class PerExampleLoopGradients implements Clipper {

    private final TextModel model;

    public PerExampleLoopGradients(TextModel model) {
        this.model = model;
    }

    @Override
    public ParameterSet parameters() {
        return ParameterSet.of(model.parameterNames(), model.parameters());
    }

    /** Clipped sum over a text batch ({@link TextBatches}); units in order of first appearance. */
    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm) {
        return clippedSum(scope, TextBatches.toBatch(batch), TextBatches.unitsOf(batch), maxGradNorm, null);
    }

    /** Clipped sum over the batch's units; units in order of first appearance. */
    public ClippedGradients clippedGradientSum(NDManager scope, Batch batch, double maxGradNorm) {
        return clippedGradientSum(scope, batch, maxGradNorm, null);
    }

    /** As above, with a classifier's dropout scale (B, F) whose rows go with their examples, or null. */
    public ClippedGradients clippedGradientSum(
            NDManager scope, Batch batch, double maxGradNorm, NDArray dropoutScale) {
        return clippedSum(scope, batch, TextBatches.unitsOf(batch), maxGradNorm, dropoutScale);
    }

    private ClippedGradients clippedSum(NDManager scope, Batch batch, ClippingUnits units, double maxGradNorm,
            NDArray dropoutScale) {
        Clipper.checkNorm(maxGradNorm);
        NDList sums = new NDList();
        for (NDArray p : model.parameters()) {
            sums.add(scope.zeros(p.getShape(), p.getDataType()));
        }
        double[] norms = new double[units.count()];
        for (int unit = 0; unit < units.count(); unit++) {
            try (NDManager work = scope.newSubManager()) {
                NDArray rows = work.create(units.members(unit));
                Batch part = new Batch(rowsOf(work, batch.tokens(), rows), rowsOf(work, batch.lengths(), rows),
                        rowsOf(work, batch.labels(), rows), null);
                NDArray scale = dropoutScale == null ? null : rowsOf(work, dropoutScale, rows);
                NDList grads = model.gradientSum(work, part, scale);
                double squared = 0;
                for (NDArray g : grads) {
                    squared += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
                }
                double norm = Math.sqrt(squared);
                norms[unit] = norm;
                double factor = norm == 0 ? 1 : Math.min(1, maxGradNorm / norm);
                for (int i = 0; i < grads.size(); i++) {
                    sums.get(i).addi(grads.get(i).mul(factor));
                }
            }
        }
        NDArray normArray = scope.create(norms).toType(model.config().dataType(), false);
        return new ClippedGradients(sums, normArray);
    }

    /** The unit's rows, in the unit's scope rather than the (long-lived) batch's manager. */
    private static NDArray rowsOf(NDManager work, NDArray array, NDArray rows) {
        NDArray part = array.get(new NDIndex("{}", rows));
        part.attach(work);
        return part;
    }
}
