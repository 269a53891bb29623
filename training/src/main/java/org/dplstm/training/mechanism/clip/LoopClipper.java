package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.Objects;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.mechanism.loss.PerExampleLoss;

/**
 * Clipping by brute force: each clipping unit alone through the model's own forward and backward
 * ({@link BlockGradients}), its gradient's norm, the clip, the sum. Exact for any block and shares
 * nothing with the fused method but the model; one backward per unit, so only when chosen
 * explicitly (and as the tests' reference).
 */
public final class LoopClipper implements Clipper {

    private final Block model;
    private final PerExampleLoss loss;
    private final TrainableParameters parameters;

    public LoopClipper(Block model, PerExampleLoss loss) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.parameters = TrainableParameters.of(model);
    }

    @Override
    public TrainableParameters parameters() {
        return parameters;
    }

    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm) {
        Clipper.checkNorm(maxGradNorm);
        ClippingUnits units = ClippingUnits.of(batch.size(), batch.groups());
        NDList sums = parameters.zeros(scope);
        double[] norms = new double[units.count()];
        for (int unit = 0; unit < units.count(); unit++) {
            try (NDManager work = scope.newSubManager()) {
                ExampleBatch members = batch.rows(work, units.members(unit), null);
                NDList gradients = BlockGradients.of(work, model, parameters, loss, members.inputs(), members.labels());
                double squared = 0;
                for (NDArray gradient : gradients) {
                    squared += gradient.toType(DataType.FLOAT64, false).square().sum().getDouble();
                }
                norms[unit] = Math.sqrt(squared);
                double factor = norms[unit] == 0 ? 1 : Math.min(1, maxGradNorm / norms[unit]);
                for (int i = 0; i < gradients.size(); i++) {
                    sums.get(i).addi(gradients.get(i).mul(factor));
                }
            }
        }
        DataType type = parameters.size() == 0 ? DataType.FLOAT32 : parameters.arrays().head().getDataType();
        return new ClippedGradients(sums, scope.create(norms).toType(type, false));
    }
}
