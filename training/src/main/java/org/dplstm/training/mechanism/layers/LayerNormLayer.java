package org.dplstm.training.mechanism.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.dplstm.training.mechanism.ghost.FusedPass;
import org.dplstm.training.mechanism.ghost.UseGradient;

/**
 * DJL's {@link LayerNorm}: y = x̂ ⊙ γ + β, x̂ normalised over the trailing axes γ spans, each
 * example on its own (ARCHITECTURE §2). x̂ comes from the block's own forward with γ = 1 and β = 0;
 * γ and β are then broadcast to one copy per example, autograd leaves whose gradients are each
 * example's own (Σ over positions of g⊙x̂ and of g): small (B, D) arrays, kept whole.
 */
public final class LayerNormLayer implements FusedLayer<LayerNorm> {

    @Override
    public NDList forward(FusedPass pass, LayerNorm block, NDList inputs) {
        Parameter gamma = block.getDirectParameters().get("gamma");
        Parameter beta = block.getDirectParameters().get("beta");
        NDArray gammaValue = pass.value(gamma);
        NDArray betaValue = pass.value(beta);
        Map<Parameter, NDArray> unit = new IdentityHashMap<>();
        unit.put(gamma, gammaValue.onesLike());
        unit.put(beta, betaValue.zerosLike());
        NDArray normalized = block.forward(pass.store(unit), inputs, pass.training()).singletonOrThrow();
        NDArray scale = perExample(pass, gamma, gammaValue, normalized.getShape());
        NDArray shift = perExample(pass, beta, betaValue, normalized.getShape());
        return new NDList(normalized.mul(scale).add(shift));
    }

    /**
     * The parameter broadcast to (B, 1, …, 1, D…) as x̂ is laid out: a gradient leaf holding one
     * copy per example when trainable, its value otherwise.
     */
    private static NDArray perExample(FusedPass pass, Parameter parameter, NDArray value, Shape input) {
        Shape normalized = value.getShape();
        long[] dims = new long[input.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = input.get(0);
        int offset = input.dimension() - normalized.dimension();
        for (int i = 0; i < normalized.dimension(); i++) {
            dims[offset + i] = normalized.get(i);
        }
        Shape perExample = new Shape(dims);
        if (!parameter.requiresGradient()) {
            return value.reshape(perExample.slice(1)).expandDims(0);
        }
        NDArray leaf = pass.leaf(value.reshape(perExample.slice(1)).expandDims(0).broadcast(perExample));
        pass.use(parameter, () -> new UseGradient.PerExample(
                FusedPass.gradientOf(leaf).reshape(new Shape(dims[0]).addAll(normalized))));
        return leaf;
    }
}
