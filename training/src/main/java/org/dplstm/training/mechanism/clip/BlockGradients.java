package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.IdentityHashMap;
import java.util.Map;
import org.dplstm.training.mechanism.ghost.ConstantStore;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.dplstm.training.model.GradientCollectors;

/**
 * The plain gradient of a batch's summed loss through the model's own forward (the engine's fused
 * kernels, autograd): every trainable parameter replaced, for this batch only, by a gradient leaf
 * holding a copy of its value, so nothing accumulates on the model's own arrays. The reference
 * the fused clipper is tested against, and the non-private step.
 */
public final class BlockGradients {

    private BlockGradients() {}

    /** ∂(Σ loss)/∂θ for each trainable parameter, in {@code parameters}' order, living in {@code scope}. */
    public static NDList of(NDManager scope, Block model, TrainableParameters parameters, PerExampleLoss loss,
            NDList inputs, NDList labels) {
        NDList gradients = new NDList(parameters.size());
        try (NDManager work = scope.newSubManager()) {
            Map<Parameter, NDArray> leaves = new IdentityHashMap<>();
            for (Parameter parameter : parameters.list()) {
                NDArray leaf = parameter.getArray().duplicate();
                leaf.attach(work);
                leaf.setRequiresGradient(true);
                leaves.put(parameter, leaf);
            }
            ConstantStore store = new ConstantStore(work, parameter -> {
                NDArray leaf = leaves.get(parameter);
                if (leaf != null) {
                    return leaf;
                }
                NDArray constant = parameter.getArray().stopGradient();
                constant.attach(work);
                return constant;
            });
            try (GradientCollector collector = GradientCollectors.exclusive(work)) {
                NDList outputs = model.forward(store, inputs, true);
                collector.backward(loss.perExample(outputs, labels).sum());
            }
            for (Parameter parameter : parameters.list()) {
                NDArray leaf = leaves.get(parameter);
                NDArray gradient = leaf.getGradient();
                if (gradient.getDataType() != leaf.getDataType()) {
                    gradient = leaf.zerosLike(); // the parameter did not reach the loss
                }
                gradient.attach(scope);
                gradients.add(gradient);
            }
        }
        return gradients;
    }
}
