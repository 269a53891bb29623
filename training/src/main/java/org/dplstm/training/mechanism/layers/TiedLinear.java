package org.dplstm.training.mechanism.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * A linear map whose weight is another block's parameter, y = x Wᵀ (+ its own bias): e.g. a
 * language model's output layer tied to its (V, E) embedding table (Press &amp; Wolf 2017). DJL has
 * no block for this; the fused clipper handles the tie exactly, the norm of the sum of both uses'
 * gradients with its cross term (ARCHITECTURE §3.6). The weight is saved with the block that owns it.
 */
public final class TiedLinear extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter weight;
    private final Parameter bias;

    private TiedLinear(Builder builder) {
        super(VERSION);
        this.weight = builder.weight;
        this.bias = builder.bias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build())
                : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The other block's parameter this map uses as its weight. */
    public Parameter sharedWeight() {
        return weight;
    }

    /** Its own bias, or null. */
    public Parameter bias() {
        return bias;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, input.getDevice(), training);
        NDArray b = parameterStore.getValue(bias, input.getDevice(), training);
        return Linear.linear(input, w, b);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape input = inputs[0];
        return new Shape[] {input.slice(0, input.dimension() - 1).add(outputs())};
    }

    @Override
    protected void prepare(Shape[] inputs) {
        if (bias != null) {
            bias.setShape(new Shape(outputs()));
        }
    }

    /** Rows of the shared weight: the owning block must be initialised first (earlier in a sequence). */
    private long outputs() {
        Shape shape = weight.getArray() != null ? weight.getArray().getShape() : null;
        if (shape == null) {
            throw new IllegalStateException("the shared weight " + weight.getName()
                    + " must be initialised before the tied layer (put its block first)");
        }
        return shape.get(0);
    }

    /** Builder: {@link #setWeight} is required. */
    public static final class Builder {
        private Parameter weight;
        private boolean bias = true;

        private Builder() {}

        /** The parameter to use as this map's (outputs, inputs) weight, e.g. an embedding's table. */
        public Builder setWeight(Parameter weight) {
            this.weight = weight;
            return this;
        }

        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        public TiedLinear build() {
            Objects.requireNonNull(weight, "weight");
            return new TiedLinear(this);
        }
    }
}
