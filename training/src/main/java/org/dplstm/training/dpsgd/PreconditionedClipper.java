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
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.pergrad.FusedPerExampleGradients;
import org.dplstm.training.pergrad.TextBatches;

/**
 * Clipping in the preconditioned coordinates (ARCHITECTURE §2, "Public preconditioning"): each
 * unit's gradient g_u, the model's plain gradient of the unit's examples (the one the non-private
 * step takes), is scaled coordinate by coordinate by the public scale a before its norm is taken,
 * and min(1, C/‖a⊙g_u‖)·a⊙g_u is summed. Every unit still adds at most C to the sum, so the noise
 * and the accountant are those of plain DP-SGD. A language model with an untied output layer (and
 * at most {@link FusedPerExampleGradients#MAX_SCALED_PARAMETERS} parameters) gets it from the fused
 * pass (one backward for the batch, ARCHITECTURE §3.11); any other model from one autograd pass
 * per unit.
 */
final class PreconditionedClipper implements Clipper {

    private final DifferentiableModel model;
    private final ParameterSet parameters;
    private final Supplier<NDList> scale;
    /** The fused pass where it serves the model, else null (one autograd pass per unit). */
    private final FusedPerExampleGradients fused;

    /**
     * @param model the model whose plain gradient each unit's examples get
     * @param scale the current scale of every parameter, in the model's order ({@link PublicPreconditioner#scale})
     */
    PreconditionedClipper(DifferentiableModel model, Supplier<NDList> scale) {
        this(model, scale, fusedFor(model));
    }

    private PreconditionedClipper(DifferentiableModel model, Supplier<NDList> scale, FusedPerExampleGradients fused) {
        this.model = Objects.requireNonNull(model, "model");
        this.parameters = ParameterSet.of(model.parameterNames(), model.parameters());
        this.scale = Objects.requireNonNull(scale, "scale");
        this.fused = fused;
    }

    /** One autograd pass per unit whatever the model: the tests' second way to the same sum. */
    static PreconditionedClipper perUnit(DifferentiableModel model, Supplier<NDList> scale) {
        return new PreconditionedClipper(model, scale, null);
    }

    private static FusedPerExampleGradients fusedFor(DifferentiableModel model) {
        if (model instanceof LstmLanguageModel languageModel) {
            FusedPerExampleGradients fused = FusedPerExampleGradients.of(languageModel);
            return fused.supportsScale() ? fused : null;
        }
        return null;
    }

    /** Whether the sums come from the fused pass (else one autograd pass per unit). */
    boolean isFused() {
        return fused != null;
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm) {
        return clippedSum(scope, batch, maxGradNorm, FrozenPart.NONE);
    }

    /** Frozen parts stay out of every norm and keep zero sums, on either path. */
    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm, FrozenPart frozen) {
        Clipper.checkNorm(maxGradNorm);
        NDList scale = this.scale.get();
        if (scale == null) {
            throw new IllegalStateException("the public scale is computed before the step's sums (refreshIfDue)");
        }
        if (fused != null) {
            return fused.scaledClippedSum(scope, batch, maxGradNorm, frozen, scale);
        }
        List<String> names = parameters.names();
        ClippingUnits units = ClippingUnits.of(batch.size(), batch.groups());
        NDList sums = parameters.zeros(scope);
        double[] norms = new double[units.count()];
        for (int unit = 0; unit < units.count(); unit++) {
            try (NDManager work = scope.newSubManager()) {
                // the model's work on a parameter then dies with the unit, not with the step
                MicroBatchedSums.lendParameters(model, work);
                // the sum of the unit's examples' gradients, unclipped: one unit
                NDList gradient = model.gradientSum(work, TextBatches.toBatch(batch.rows(work, units.members(unit), null)));
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
        DataType type = names.isEmpty() ? DataType.FLOAT32 : parameters.arrays().head().getDataType();
        return new ClippedGradients(sums, scope.create(norms).toType(type, false));
    }
}
