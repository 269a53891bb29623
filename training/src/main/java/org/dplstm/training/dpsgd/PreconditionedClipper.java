package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.ParameterSet;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.model.FrozenPart;

/**
 * Clipping in the preconditioned coordinates (ARCHITECTURE §2, "Public preconditioning"): each
 * unit's gradient g_u, from the model's own clipper, is scaled coordinate by coordinate by the
 * public scale a before its norm is taken, and min(1, C/‖a⊙g_u‖)·a⊙g_u is summed. Every unit still
 * adds at most C to the sum, so the noise and the accountant are those of plain DP-SGD. One call of
 * the inner clipper per unit (the scale sits inside the norm, where a fused pass cannot put it).
 */
final class PreconditionedClipper implements Clipper {

    private final Clipper perUnit;
    private final Supplier<NDList> scale;

    /**
     * @param perUnit the model's own clipper, asked for one unit's plain gradient at a time
     * @param scale the current scale of every parameter, in the clipper's order ({@link PublicPreconditioner#scale})
     */
    PreconditionedClipper(Clipper perUnit, Supplier<NDList> scale) {
        this.perUnit = Objects.requireNonNull(perUnit, "perUnit");
        this.scale = Objects.requireNonNull(scale, "scale");
    }

    @Override
    public ParameterSet parameters() {
        return perUnit.parameters();
    }

    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm) {
        return clippedSum(scope, batch, maxGradNorm, FrozenPart.NONE);
    }

    /** The inner clipper is asked for whole gradients (any clipper can give them); frozen parts are zeroed here. */
    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm, FrozenPart frozen) {
        Clipper.checkNorm(maxGradNorm);
        NDList scale = this.scale.get();
        if (scale == null) {
            throw new IllegalStateException("the public scale is computed before the step's sums (refreshIfDue)");
        }
        List<String> names = parameters().names();
        ClippingUnits units = ClippingUnits.of(batch.size(), batch.groups());
        NDList sums = parameters().zeros(scope);
        double[] norms = new double[units.count()];
        for (int unit = 0; unit < units.count(); unit++) {
            try (NDManager work = scope.newSubManager()) {
                // the inner clipper's work on a parameter then dies with the unit, not with the step
                MicroBatchedSums.lendParameters(perUnit.parameters().arrays(), work);
                // the unit's examples without groups: the inner clipper sums them unclipped, one unit
                ExampleBatch one = batch.rows(work, units.members(unit), null);
                NDList gradient = perUnit.clippedSum(work, one, Double.POSITIVE_INFINITY).sums();
                NDList scaled = new NDList(gradient.size());
                double squared = 0;
                for (int i = 0; i < gradient.size(); i++) {
                    // a frozen parameter adds nothing to the norm and its sum stays zero (ARCHITECTURE §2)
                    NDArray s = frozen.freezes(names.get(i)) ? gradient.get(i).zerosLike()
                            : gradient.get(i).mul(scale.get(i));
                    squared += s.toType(DataType.FLOAT64, false).square().sum().getDouble();
                    scaled.add(s);
                }
                norms[unit] = Math.sqrt(squared);
                double factor = norms[unit] == 0 ? 1 : Math.min(1, maxGradNorm / norms[unit]);
                for (int i = 0; i < scaled.size(); i++) {
                    sums.get(i).addi(scaled.get(i).mul(factor));
                }
            }
        }
        DataType type = parameters().names().isEmpty() ? DataType.FLOAT32 : parameters().arrays().head().getDataType();
        return new ClippedGradients(sums, scope.create(norms).toType(type, false));
    }

}
