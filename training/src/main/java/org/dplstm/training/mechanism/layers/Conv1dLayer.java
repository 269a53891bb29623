package org.dplstm.training.mechanism.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import java.util.List;
import org.dplstm.training.mechanism.ghost.FusedPass;
import org.dplstm.training.mechanism.ghost.PositionRows;
import org.dplstm.training.mechanism.ghost.Probe;
import org.dplstm.training.mechanism.ghost.UseGradient;

/**
 * DJL's {@link Conv1d} (input (B, C, W), weight (F, C, k)): a linear map applied at every output
 * position t to the patch x_pad[:, t·s + j·d], j < k. Per example W's gradient is Σ_t g_t ⊗
 * patch_t and b's Σ_t g_t, g = ∂L/∂y (F per position): ghost norms over output positions, the
 * text-CNN case (ARCHITECTURE §3.3).
 */
public final class Conv1dLayer implements FusedLayer<Conv1d> {

    @Override
    public List<String> problems(Conv1d block) {
        return block.getGroups() == 1 ? List.of()
                : List.of("grouped convolution (optGroups(" + block.getGroups() + ")) is not supported; use groups = 1");
    }

    @Override
    public NDList forward(FusedPass pass, Conv1d block, NDList inputs) {
        NDArray input = inputs.singletonOrThrow();
        Probe output = pass.probe(block.forward(pass.store(), inputs, pass.training()).singletonOrThrow());
        NDArray constantInput = input.stopGradient();
        constantInput.attach(pass.work());
        long positions = output.output().getShape().get(2);
        pass.use(block.getDirectParameters().get("weight"), () -> UseGradient.weight(
                outputRows(output.gradient()), PositionRows.batchMajor(patches(block, constantInput, positions))));
        pass.use(block.getDirectParameters().get("bias"), () -> UseGradient.bias(outputRows(output.gradient())));
        return new NDList(output.output());
    }

    /** (B, F, W_out) as rows (B, W_out, F). */
    private static PositionRows outputRows(NDArray gradient) {
        return PositionRows.batchMajor(gradient.transpose(0, 2, 1));
    }

    /** The input patch each output position reads, (B, W_out, C·k), in the weight's (C, k) order. */
    static NDArray patches(Conv1d block, NDArray input, long positions) {
        long examples = input.getShape().get(0);
        long channels = input.getShape().get(1);
        long padding = block.getPadding().get(0);
        long stride = block.getStride().get(0);
        long dilation = block.getDilation().get(0);
        long kernel = block.getKernelShape().get(0);
        NDArray padded = input;
        if (padding > 0) {
            NDArray zeros = input.getManager().zeros(new Shape(examples, channels, padding), input.getDataType());
            padded = zeros.concat(input, 2).concat(zeros, 2);
        }
        long[] columns = new long[Math.toIntExact(positions * kernel)];
        for (int t = 0; t < positions; t++) {
            for (int j = 0; j < kernel; j++) {
                columns[(int) (t * kernel + j)] = t * stride + j * dilation;
            }
        }
        NDArray gathered = padded.get(new NDIndex(":, :, {}", input.getManager().create(columns)));
        return gathered.reshape(examples, channels, positions, kernel)
                .transpose(0, 2, 1, 3)
                .reshape(examples, positions, channels * kernel);
    }
}
