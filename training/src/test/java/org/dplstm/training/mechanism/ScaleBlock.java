package org.dplstm.training.mechanism;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A user's own block with a parameter (y = x ⊙ w over the last axis): nothing the fused clipper knows. */
public final class ScaleBlock extends AbstractBlock {

    private final Parameter weight;

    public ScaleBlock() {
        super((byte) 1);
        weight = addParameter(Parameter.builder().setName("scale").setType(Parameter.Type.GAMMA).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(x.mul(store.getValue(weight, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }

    @Override
    protected void prepare(Shape[] inputs) {
        weight.setShape(new Shape(inputs[0].get(inputs[0].dimension() - 1)));
    }
}
