package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.Optional;
import org.dplstm.training.mechanism.ghost.ConstantStore;
import org.dplstm.training.mechanism.ghost.FusedPass;
import org.dplstm.training.mechanism.layers.FusedLayer;
import org.dplstm.training.mechanism.layers.LayerRegistry;

/**
 * The model's forward as DJL computes it, block by block, each supported leaf through its fused
 * method (recording its parameters' uses) and every block without trainable parameters through its
 * own forward. Only models {@link BlockValidator} accepts are walked.
 */
final class ModelWalk {

    private final LayerRegistry layers;

    ModelWalk(LayerRegistry layers) {
        this.layers = layers;
    }

    NDList forward(FusedPass pass, Block block, NDList inputs) {
        if (block.getClass() == SequentialBlock.class) {
            NDList current = inputs;
            NDList intermediate = new NDList();
            for (Block child : block.getChildren().values()) {
                current = forward(pass, child, current);
                intermediate.addAll(current);
            }
            return ((SequentialBlock) block).isReturnIntermediate() ? intermediate : current;
        }
        Optional<FusedLayer<Block>> layer = layers.layerFor(block);
        if (layer.isPresent()) {
            return layer.get().forward(pass, block, inputs);
        }
        if (BlockValidator.isConstant(block)) {
            return block.forward(constantsOnly(pass, block), inputs, pass.training());
        }
        throw new IllegalStateException("block " + block.getClass().getName() + " cannot be walked");
    }

    /**
     * A block without trainable parameters of its own may still read another block's: that use
     * would be invisible to the clipper, so it is refused when it happens.
     */
    private static ParameterStore constantsOnly(FusedPass pass, Block block) {
        return new ConstantStore(pass.work(), parameter -> {
            if (parameter.requiresGradient()) {
                throw new IllegalArgumentException("block " + block.getClass().getName() + " reads the trainable"
                        + " parameter " + parameter.getName() + " of another block; the fused clipper cannot see"
                        + " that use (use a supported block, e.g. TiedLinear, or the loop clipper)");
            }
            return pass.value(parameter);
        });
    }
}
