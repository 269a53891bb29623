package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.IntPredicate;

/**
 * The plain (non-private) gradient of a loss with respect to every parameter: each parameter
 * copied into a gradient leaf in a work scope, the loss built from the leaves, one autograd
 * backward; and the loss alone, without a graph. What the models' {@code gradientSum} and {@code
 * lossSum} share; the results belong to {@code scope}.
 */
final class AutogradGradients {

    /** A batch's loss computed from the parameters given (the leaves), with arrays in {@code work}. */
    @FunctionalInterface
    interface Loss {
        NDArray of(NDManager work, NDList parameters);
    }

    private AutogradGradients() {}

    /** The loss of {@code batch} from the model's own parameters, no gradient; zero for an empty batch. */
    static NDArray lossSum(NDManager scope, NDList parameters, Batch batch, DataType type, Loss loss) {
        if (batch.size() == 0) {
            return scope.zeros(new Shape(), type);
        }
        try (NDManager work = scope.newSubManager()) {
            NDArray sum = loss.of(work, parameters);
            sum.attach(scope);
            return sum;
        }
    }

    /** ∂loss/∂p for every parameter p, in order; zeros for an empty batch. */
    static NDList of(NDManager scope, NDList parameters, Batch batch, Loss loss) {
        return of(scope, parameters, i -> true, batch, loss);
    }

    /**
     * As above, with only the parameters whose index {@code trained} accepts in the graph (e.g. all
     * but a frozen encoder whose features come from a cache); the others get zeros.
     */
    static NDList of(NDManager scope, NDList parameters, IntPredicate trained, Batch batch, Loss loss) {
        NDList sums = new NDList();
        if (batch.size() == 0) {
            for (NDArray p : parameters) {
                sums.add(scope.zeros(p.getShape(), p.getDataType()));
            }
            return sums;
        }
        try (NDManager work = scope.newSubManager()) {
            NDList leaves = new NDList();
            for (int i = 0; i < parameters.size(); i++) {
                NDArray leaf = parameters.get(i).duplicate();
                leaf.attach(work);
                leaf.setRequiresGradient(trained.test(i));
                leaves.add(leaf);
            }
            try (GradientCollector collector = GradientCollectors.exclusive(work)) {
                collector.backward(loss.of(work, leaves));
            }
            for (int i = 0; i < leaves.size(); i++) {
                NDArray grad = trained.test(i) ? leaves.get(i).getGradient() : leaves.get(i).zerosLike();
                grad.attach(scope);
                sums.add(grad);
            }
        }
        return sums;
    }
}
