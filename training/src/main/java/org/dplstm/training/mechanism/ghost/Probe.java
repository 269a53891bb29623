package org.dplstm.training.mechanism.ghost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A zero-valued autograd leaf added to a layer's output: after the pass's backward its gradient
 * is ∂L/∂output, each example's rows its own (no block mixes examples, ARCHITECTURE §2), without
 * any parameter being a gradient leaf.
 */
public final class Probe {

    private final NDArray leaf;
    private final NDArray output;

    Probe(NDManager work, NDArray output) {
        this.leaf = work.zeros(output.getShape(), output.getDataType(), output.getDevice());
        leaf.setRequiresGradient(true);
        this.output = output.add(leaf);
    }

    /** The layer's output with the probe added: what the next block reads. */
    public NDArray output() {
        return output;
    }

    /** ∂L/∂output once the pass has run its backward (zeros when the output did not reach the loss). */
    public NDArray gradient() {
        return FusedPass.gradientOf(leaf);
    }
}
