package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.ParameterSet;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.pergrad.ModelClippers;
import org.dplstm.training.pergrad.TextBatches;

/** The test models' clipping strategies, registered beside the standard ones as a library user would. */
final class TestClippers {

    /** How a test model computes a text batch's clipped sum (the groups as an engine array, as before). */
    @FunctionalInterface
    interface BatchClippedSum {
        ClippedGradients of(NDManager scope, Batch batch, double maxGradNorm);
    }

    static final ModelClippers CLIPPERS = ModelClippers.standard()
            .with(BagOfTokensSoftmaxModel.class, model -> clipper(model, model::clippedGradientSum))
            .with(RecordingModel.class, model -> clipper(model, model::clippedGradientSum));

    private TestClippers() {}

    static Clipper clipper(DifferentiableModel model, BatchClippedSum sum) {
        return new Clipper() {
            @Override
            public ParameterSet parameters() {
                return ParameterSet.of(model.parameterNames(), model.parameters());
            }

            @Override
            public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm) {
                Batch text = TextBatches.toBatch(batch);
                long[] groups = batch.groups();
                Batch grouped = groups == null ? text : new Batch(text.tokens(), text.lengths(), text.labels(),
                        scope.create(groups, new Shape(groups.length)));
                return sum.of(scope, grouped, maxGradNorm);
            }
        };
    }
}
