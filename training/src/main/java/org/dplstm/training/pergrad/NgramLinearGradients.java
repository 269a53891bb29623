package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.ParameterSet;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.NgramLinearClassifier;

/**
 * Per-unit clipping of the n-gram classifier in closed form. Example i's gradient is
 * e_i ⊗ (x_i, β), e_i = p_i − y_i, β = 1 with a bias and 0 without (the weights' part alone), of
 * norm ‖e_i‖·√(‖x_i‖² + β); a unit's (user-level: a group's) gradient is the sum of its examples',
 * whose squared norm is Σ_{i,j in u} (e_i·e_j)(x_i·x_j + β) — the Gram form, exact, with no (K, D)
 * gradient per unit. The clipped sum is then one matmul, Σ_i c_{u(i)} e_i ⊗ (x_i, β) with
 * c_u = min(1, C/‖g_u‖).
 */
public final class NgramLinearGradients implements Clipper {

    private final NgramLinearClassifier model;

    public NgramLinearGradients(NgramLinearClassifier model) {
        this.model = model;
    }

    @Override
    public ParameterSet parameters() {
        return ParameterSet.of(model.parameterNames(), model.parameters());
    }

    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch examples, double maxGradNorm) {
        Clipper.checkNorm(maxGradNorm);
        Batch batch = TextBatches.toBatch(examples);
        if (batch.size() == 0) {
            return ClippedGradients.ofEmptyBatch(scope, model.parameters(), model.config().dataType());
        }
        ClippingUnits units = TextBatches.unitsOf(examples);
        try (NDManager work = scope.newSubManager()) {
            NDArray bags = model.bags(work, batch);
            NDArray logits = model.logitsOf(bags, model.parameters());
            NDArray errors = logits.softmax(1).sub(LstmClassifier.oneHot(batch.labels(), logits)); // (B, K)
            double beta = model.config().ngramBias() ? 1 : 0;
            NDArray norms = squaredNorms(work, units, errors, bags, beta).sqrt();
            // c_u = min(1, C/‖g_u‖); a zero gradient (C/0 = ∞) keeps factor 1
            NDArray factors = units.perExampleOf(norms.pow(-1).muli(maxGradNorm).minimum(1));
            NDArray scaled = errors.mul(factors.expandDims(1));
            NDList sums = new NDList(scaled.transpose().matMul(bags));
            if (model.config().ngramBias()) {
                sums.add(scaled.sum(new int[] {0}));
            }
            sums.attach(scope);
            norms.attach(scope);
            return new ClippedGradients(sums, norms);
        }
    }

    /**
     * ‖g_u‖² per unit (U), in order of first appearance. A group's Gram sum is taken in float64 and
     * floored at 0: in float32 the pairwise terms of a user whose gradients nearly cancel could
     * round to a norm too small (clipping too little) or below zero.
     */
    private static NDArray squaredNorms(NDManager work, ClippingUnits units, NDArray errors, NDArray bags,
            double beta) {
        if (units.perExample()) {
            return errors.square().sum(new int[] {1}).mul(bags.square().sum(new int[] {1}).add(beta));
        }
        NDArray e = errors.toType(DataType.FLOAT64, true);
        NDArray x = bags.toType(DataType.FLOAT64, true);
        NDArray products = e.matMul(e.transpose()).mul(x.matMul(x.transpose()).add(beta)); // (B, B)
        int size = Math.toIntExact(errors.getShape().get(0));
        double[] membership = new double[units.count() * size];
        for (int u = 0; u < units.count(); u++) {
            for (long member : units.members(u)) {
                membership[u * size + (int) member] = 1;
            }
        }
        NDArray m = work.create(membership, new Shape(units.count(), size));
        return m.matMul(products).mul(m).sum(new int[] {1}).maximum(0) // diag(M A Mᵀ)
                .toType(errors.getDataType(), false);
    }
}
