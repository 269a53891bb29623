package org.dplstm.training.mechanism.clip;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Objects;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.mechanism.ghost.FusedPass;
import org.dplstm.training.mechanism.ghost.UnitGradients;
import org.dplstm.training.mechanism.layers.LayerRegistry;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.dplstm.training.model.GradientCollectors;
import org.dplstm.training.recurrent.GateGradientMethod;

/**
 * Exact per-unit clipping from one batched forward and backward (ARCHITECTURE §3): the model is
 * walked block by block ({@link BlockValidator} names what cannot be, at build time), each
 * supported layer records its parameters' uses, one backward gives every layer's output gradient,
 * and per-unit norms and clipped sums follow in ghost form ({@link UnitGradients}) with no second
 * backward and no per-example weight gradients.
 */
public final class FusedClipper implements Clipper {

    private final Block model;
    private final PerExampleLoss loss;
    private final ModelWalk walk;
    private final TrainableParameters parameters;

    private FusedClipper(Block model, PerExampleLoss loss, LayerRegistry layers) {
        this.model = model;
        this.loss = loss;
        this.walk = new ModelWalk(layers);
        this.parameters = TrainableParameters.of(model);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TrainableParameters parameters() {
        return parameters;
    }

    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm) {
        Clipper.checkNorm(maxGradNorm);
        List<Parameter> list = parameters.list();
        NDList arrays = parameters.arrays();
        DataType type = arrays.isEmpty() ? DataType.FLOAT32 : arrays.head().getDataType();
        if (batch.size() == 0) {
            return new ClippedGradients(parameters.zeros(scope), scope.zeros(new Shape(0), type));
        }
        ClippingUnits units = ClippingUnits.of(batch.size(), batch.groups());
        try (NDManager work = scope.newSubManager()) {
            lend(work, batch);
            FusedPass pass = new FusedPass(work, true);
            try (GradientCollector collector = GradientCollectors.exclusive(work)) {
                NDList outputs = walk.forward(pass, model, batch.inputs());
                pass.backward(collector, loss.perExample(outputs, batch.labels()).sum());
            }
            var uses = pass.gradients();
            for (Parameter used : uses.keySet()) {
                if (!parameters.contains(used)) {
                    throw new IllegalArgumentException("the model uses the trainable parameter " + used.getName()
                            + " of a block outside it; its gradient would be neither clipped nor applied");
                }
            }
            UnitGradients gradients = new UnitGradients(work, units, uses);
            NDArray norms = gradients.squaredNorms(list, type).maximum(0).sqrt();
            // c_u = min(1, C/‖g_u‖); a zero gradient (C/0 = ∞) keeps factor 1
            NDArray factors = units.perExampleOf(norms.pow(-1).muli(maxGradNorm).minimum(1));
            NDList sums = gradients.clippedSums(list, factors);
            sums.attach(scope);
            norms.attach(scope);
            return new ClippedGradients(sums, norms);
        }
    }

    /**
     * The walk's output for {@code inputs} (dropout off): equal to the model's own forward for
     * every model this clipper accepts. Lives in {@code scope}.
     */
    public NDList forward(NDManager scope, NDList inputs) {
        try (NDManager work = scope.newSubManager()) {
            lend(work, new ExampleBatch(inputs, new NDList()));
            NDList outputs = walk.forward(new FusedPass(work, false), model, inputs);
            NDList result = new NDList(outputs.size());
            for (NDArray output : outputs) {
                NDArray copy = output.stopGradient();
                copy.attach(scope);
                result.add(copy);
            }
            return result;
        }
    }

    /** Ops take their first operand's manager: lent to {@code work}, the batch's results die with it. */
    private static void lend(NDManager work, ExampleBatch batch) {
        batch.inputs().forEach(array -> array.tempAttach(work));
        batch.labels().forEach(array -> array.tempAttach(work));
    }

    /** Builder: {@link #setModel} and {@link #setLoss} are required; the model is validated by {@link #build}. */
    public static final class Builder {
        private Block model;
        private PerExampleLoss loss;
        private LayerRegistry layers;
        private GateGradientMethod method;

        private Builder() {}

        public Builder setModel(Block model) {
            this.model = model;
            return this;
        }

        public Builder setLoss(PerExampleLoss loss) {
            this.loss = loss;
            return this;
        }

        /** How recurrent layers get their gate gradients; default {@link GateGradientMethod#forDevice} of the CPU or GPU in use. */
        public Builder optGateGradientMethod(GateGradientMethod method) {
            this.method = method;
            return this;
        }

        /** The fused methods of leaf blocks (default {@link LayerRegistry#standard}); overrides the gate method. */
        public Builder optLayers(LayerRegistry layers) {
            this.layers = layers;
            return this;
        }

        /** @throws UnsupportedModelException naming every block that cannot be walked exactly */
        public FusedClipper build() {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(loss, "loss");
            LayerRegistry registry = layers != null ? layers : LayerRegistry.standard(
                    method != null ? method : GateGradientMethod.forDevice(Engine.getInstance().defaultDevice()));
            List<UnsupportedBlock> problems = BlockValidator.check(model, registry);
            if (!problems.isEmpty()) {
                throw new UnsupportedModelException(problems);
            }
            return new FusedClipper(model, loss, registry);
        }
    }
}
