package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

/**
 * The plain (non-private) gradient of a loss with respect to every parameter: each parameter
 * copied into a gradient leaf in a work scope, the loss built from the leaves, one autograd
 * backward. What the models' {@code gradientSum} share; the results belong to {@code scope}.
 */
final class AutogradGradients {

    /** A batch's loss computed from the parameters given (the leaves), with arrays in {@code work}. */
    @FunctionalInterface
    interface Loss {
        NDArray of(NDManager work, NDList parameters);
    }

    private AutogradGradients() {}

    /** ∂loss/∂p for every parameter p, in order; zeros for an empty batch. */
    static NDList of(NDManager scope, NDList parameters, Batch batch, Loss loss) {
        NDList sums = new NDList();
        if (batch.size() == 0) {
            for (NDArray p : parameters) {
                sums.add(scope.zeros(p.getShape(), p.getDataType()));
            }
            return sums;
        }
        try (NDManager work = scope.newSubManager()) {
            NDList leaves = new NDList();
            for (NDArray p : parameters) {
                NDArray leaf = p.duplicate();
                leaf.attach(work);
                leaf.setRequiresGradient(true);
                leaves.add(leaf);
            }
            try (GradientCollector collector = GradientCollectors.exclusive(work)) {
                collector.backward(loss.of(work, leaves));
            }
            for (NDArray leaf : leaves) {
                NDArray grad = leaf.getGradient();
                grad.attach(scope);
                sums.add(grad);
            }
        }
        return sums;
    }
}
