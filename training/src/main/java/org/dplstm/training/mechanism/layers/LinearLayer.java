package org.dplstm.training.mechanism.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import org.dplstm.training.mechanism.ghost.FusedPass;
import org.dplstm.training.mechanism.ghost.Probe;
import org.dplstm.training.mechanism.ghost.UseGradient;

/**
 * DJL's {@link Linear}: y = x Wᵀ + b over the last axis, every other non-batch axis a position.
 * Per example W's gradient is Σ_n g_n ⊗ x_n and b's Σ_n g_n, g = ∂L/∂y (ghost norms, ARCHITECTURE
 * §3.3).
 */
public final class LinearLayer implements FusedLayer<Linear> {

    @Override
    public NDList forward(FusedPass pass, Linear block, NDList inputs) {
        NDArray input = inputs.singletonOrThrow();
        Probe output = pass.probe(block.forward(pass.store(), inputs, pass.training()).singletonOrThrow());
        recordUses(pass, block.getDirectParameters().get("weight"), block.getDirectParameters().get("bias"), input, output);
        return new NDList(output.output());
    }

    /** Records a linear map's weight (and bias, may be null) fed {@code input}, with output gradient at {@code output}. */
    static void recordUses(FusedPass pass, Parameter weight, Parameter bias, NDArray input, Probe output) {
        NDArray constantInput = input.stopGradient();
        constantInput.attach(pass.work());
        pass.use(weight, () -> UseGradient.weight(Rows.positions(output.gradient()), Rows.positions(constantInput)));
        pass.use(bias, () -> UseGradient.bias(Rows.positions(output.gradient())));
    }
}
