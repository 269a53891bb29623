package org.dplstm.training.mechanism.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
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

    /**
     * The convolution as patches times the filters, y = patch·W_flatᵀ + b, not the engine's conv:
     * on some CPUs the engine's float32 conv1d gives a wrong gradient to its input when the batch
     * holds more than one example (measured with PyTorch 2.7.1 on an AMD EPYC with AVX-512 BF16:
     * 58–88% relative error, the forward right), and that gradient is what every layer below the
     * convolution reads (ARCHITECTURE §3.9). The patches' gather and the matmul have correct
     * gradients in both types.
     */
    @Override
    public NDList forward(FusedPass pass, Conv1d block, NDList inputs) {
        NDArray input = inputs.singletonOrThrow();
        long positions = outputPositions(block, input.getShape().get(2));
        Parameter weight = block.getDirectParameters().get("weight");
        Parameter bias = block.getDirectParameters().get("bias");
        NDArray filters = pass.value(weight);
        NDArray rows = patches(block, input, positions) // (B, W_out, C·k) · (C·k, F)
                .matMul(filters.reshape(filters.getShape().get(0), -1).transpose());
        if (bias != null) {
            rows = rows.add(pass.value(bias));
        }
        Probe output = pass.probe(rows.transpose(0, 2, 1)); // (B, F, W_out), as the engine's conv gives it
        NDArray constantInput = input.stopGradient();
        constantInput.attach(pass.work());
        pass.use(weight, () -> UseGradient.weight(
                outputRows(output.gradient()), PositionRows.batchMajor(patches(block, constantInput, positions))));
        if (bias != null) {
            pass.use(bias, () -> UseGradient.bias(outputRows(output.gradient())));
        }
        return new NDList(output.output());
    }

    /** W_out = ⌊(W + 2p − d(k − 1) − 1)/s⌋ + 1, the engine's output width. */
    static long outputPositions(Conv1d block, long width) {
        long padding = block.getPadding().get(0);
        long stride = block.getStride().get(0);
        long dilation = block.getDilation().get(0);
        long kernel = block.getKernelShape().get(0);
        return Math.floorDiv(width + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
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
